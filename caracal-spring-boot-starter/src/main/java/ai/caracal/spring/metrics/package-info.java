/**
 * Micrometer metrics for Caracal verification: {@link ai.caracal.spring.metrics.CaracalMetrics}, a
 * {@link ai.caracal.verify.VerificationListener} with no Spring dependency, usable with or without the
 * starter's auto-configuration; for the optional Redis stream consumers
 * {@link ai.caracal.spring.metrics.RevocationEventMetrics} (entries handled) and
 * {@link ai.caracal.spring.metrics.ConsumerHealthMetrics} (a {@code ConsumerRunner}'s health). Needs
 * {@code io.micrometer:micrometer-core} (an optional dependency).
 */
package ai.caracal.spring.metrics;
