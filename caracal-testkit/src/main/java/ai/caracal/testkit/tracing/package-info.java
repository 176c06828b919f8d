/**
 * {@link ai.caracal.testkit.tracing.RealTracing}: the production tracing stack (Micrometer Observation,
 * Micrometer Tracing's OpenTelemetry bridge, the OpenTelemetry SDK) exporting to memory, for tests of
 * spans. Needs {@code io.micrometer:micrometer-tracing-bridge-otel} and
 * {@code io.opentelemetry:opentelemetry-sdk-testing} on the test classpath; the test kit declares both
 * optional.
 */
package ai.caracal.testkit.tracing;
