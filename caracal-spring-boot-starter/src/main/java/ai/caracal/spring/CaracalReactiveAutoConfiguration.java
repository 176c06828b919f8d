package ai.caracal.spring;

import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import ai.caracal.webflux.CaracalWebFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Spring Boot auto-configuration of Caracal mandate verification for reactive (Spring WebFlux)
 * applications on Spring Boot 3.5 and 4.1 (connectors.md §6, §10.1), active when
 * {@code ai.caracal:caracal-webflux} is on the class path, unless {@code caracal.enabled=false}.
 *
 * <p>The same {@code caracal.*} properties and beans as {@link CaracalAutoConfiguration} for servlet
 * applications, each replaced by a bean of your own: the revocation store (memory or Redis), the default
 * rule's {@link MandateVerifier}, the Redis stream consumers, Micrometer metrics and Postgres token
 * state; then the {@link CaracalWebFilter} bean {@code caracalFilter} (order {@code caracal.filter-order};
 * a web filter sees every request, so {@code caracal.url-patterns} does not apply: use
 * {@code caracal.exclude}), the {@code @CaracalClaims} argument resolver and {@code @CaracalRequires},
 * checked before the handler with the filter's 401/403 answers.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = {"ai.caracal.webflux.CaracalWebFilter", "org.springframework.web.server.WebFilter"})
@ConditionalOnProperty(name = "caracal.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CaracalProperties.class)
@Import({CaracalVerifierConfiguration.class, RevocationStoreConfiguration.class, RedisRevocationConfiguration.class,
        CaracalMetricsConfiguration.class, TokenStateConfiguration.class, CaracalWebFluxConfiguration.class,
        CaracalObservationConfiguration.class, CaracalAuditConfiguration.class, CaracalLiveConnectionsConfiguration.class})
public class CaracalReactiveAutoConfiguration {

    /**
     * @param properties {@code caracal.*}
     * @param verifier   the default rule's verifier
     * @param audit      the audit queue
     * @param live       the open SSE streams and WebSockets of this context
     * @return the web filter, at order {@code caracal.filter-order}
     */
    @Bean(name = CaracalFilters.NAME)
    @ConditionalOnMissingBean(CaracalWebFilter.class)
    public CaracalWebFilter caracalFilter(CaracalProperties properties, MandateVerifier verifier, CaracalAudit audit,
                                          LiveConnections live) {
        CaracalWebFilter.Builder builder = CaracalWebFilter.builder().order(properties.getFilterOrder());
        CaracalBoundaryOptions.configure(builder, properties, verifier, audit, live);
        return builder.build();
    }
}
