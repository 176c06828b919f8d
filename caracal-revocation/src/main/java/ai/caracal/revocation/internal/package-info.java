/**
 * Helpers shared by Caracal's own modules, exported only to them: not API, and free to change in any
 * release.
 */
package ai.caracal.revocation.internal;
