/**
 * {@link ai.caracal.testkit.jetty.JettyForTests}: a real Jetty 12 (EE10) server on loopback for
 * servlet-based tests. Needs {@code org.eclipse.jetty.ee10:jetty-ee10-servlet} (and with it the Jakarta
 * Servlet 6 API) on the test classpath; the test kit declares both optional.
 */
package ai.caracal.testkit.jetty;
