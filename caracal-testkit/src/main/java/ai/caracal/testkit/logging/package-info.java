/**
 * {@link ai.caracal.testkit.logging.LogCapture}: records what a logger writes while a test runs. Needs
 * Logback ({@code ch.qos.logback:logback-classic}) on the test classpath; the test kit declares it
 * optional, so a project that does not use this package does not get Logback from the test kit.
 */
package ai.caracal.testkit.logging;
