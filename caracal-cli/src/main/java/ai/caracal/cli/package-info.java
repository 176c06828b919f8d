/**
 * The {@code caracal} command line: the end-to-end {@code demo}, {@code verify} and {@code inspect}
 * mandates from a terminal or a script, the development issuer ({@code dev-sts}, {@code mint},
 * {@code revoke}), and {@code serve} the protected {@code documents-mcp} example server. Exit codes: 0
 * success, 1 runtime failure, 2 usage or configuration error, 3 mandate rejected (or, for
 * {@code inspect --verify-signature}, signature invalid; for {@code demo}, a row failed). Tokens are never printed
 * or logged by these commands.
 */
package ai.caracal.cli;
