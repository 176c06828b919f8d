/**
 * Caracal mandate verification for the JDK's built-in HTTP server ({@code com.sun.net.httpserver}):
 * {@link ai.caracal.jdkhttp.CaracalHttpFilter}, with no dependency beyond {@code caracal-verify}.
 */
package ai.caracal.jdkhttp;
