package ai.caracal.spring;

import ai.caracal.servlet.CaracalFilter;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Spring Boot auto-configuration of Caracal mandate verification (connectors.md §6), for Spring Boot
 * 3.5 and 4.1 servlet applications, active unless {@code caracal.enabled=false}. Reactive (WebFlux)
 * applications get {@link CaracalReactiveAutoConfiguration} instead.
 *
 * <p>Beans, each replaced by a bean of your own: the {@link ai.caracal.revocation.RevocationStore} ({@code memory} or
 * {@code redis} from {@code caracal.revocation.*}; with neither and no bean of yours, start-up fails),
 * the default rule's {@link MandateVerifier}, the {@code caracalFilter} registration of
 * {@link CaracalFilter}, the Redis stream consumers' {@code ConsumerRunner}, the {@code @CaracalClaims}
 * resolver and {@code @CaracalRequires} interceptor, Micrometer metrics when a {@code MeterRegistry}
 * exists, spans through the {@code ObservationRegistry} when one exists ({@code caracal.tracing.*}), the
 * {@link CaracalAudit} queue over every {@link ai.caracal.verify.audit.AuditSink} bean
 * ({@code caracal.audit.*}), and Postgres token state when enabled.
 *
 * <p>Only classes and annotations that Spring Boot 3.5 and 4.1 both have, in the same packages, are
 * used; the classes of optional integrations are only touched behind {@code @ConditionalOnClass}.
 */
@AutoConfiguration(afterName = {
        // A MeterRegistry bean, when Spring Boot creates one: Boot 3.5 (actuator) ...
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        // ... and Boot 4 (spring-boot-micrometer-metrics).
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.Filter")
@ConditionalOnProperty(name = "caracal.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CaracalProperties.class)
@Import({CaracalVerifierConfiguration.class, RevocationStoreConfiguration.class, RedisRevocationConfiguration.class,
        CaracalMetricsConfiguration.class, TokenStateConfiguration.class, CaracalWebMvcConfiguration.class,
        CaracalObservationConfiguration.class, CaracalAuditConfiguration.class, CaracalLiveConnectionsConfiguration.class})
public class CaracalAutoConfiguration {

    /**
     * @param properties {@code caracal.*}
     * @param verifier   the default rule's verifier
     * @param audit      the audit queue
     * @param live       the open SSE streams of this context
     * @return the filter registration: async-supported, {@code REQUEST} dispatcher,
     *         order {@code caracal.filter-order}
     */
    @Bean(name = CaracalFilters.NAME)
    @ConditionalOnMissingBean(name = CaracalFilters.NAME)
    public FilterRegistrationBean<CaracalFilter> caracalFilter(CaracalProperties properties, MandateVerifier verifier,
                                                               CaracalAudit audit, LiveConnections live) {
        return CaracalFilters.registration(properties, verifier, audit, live);
    }
}
