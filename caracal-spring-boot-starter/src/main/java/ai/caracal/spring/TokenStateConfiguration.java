package ai.caracal.spring;

import ai.caracal.tokenstate.postgres.PostgresTokenStateBackend;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Postgres token state (state.md §8) on the application's {@link DataSource}, when
 * {@code caracal.token-state.postgres.enabled=true}: the backend (table created at start-up unless
 * {@code migrate=false}) and, unless {@code record-on-verify=false}, its asynchronous recorder on the
 * verifier. Enabled without the module or without a {@code DataSource}, start-up fails and says why.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "caracal.token-state.postgres.enabled", havingValue = "true")
class TokenStateConfiguration {

    static final String MODULE_MISSING = "caracal.token-state.postgres.enabled=true needs "
            + "ai.caracal:caracal-tokenstate-postgres on the classpath";
    static final String DATA_SOURCE_MISSING = "caracal.token-state.postgres.enabled=true needs one DataSource bean";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "ai.caracal.tokenstate.postgres.PostgresTokenStateBackend")
    static class Backend {

        @Bean
        @ConditionalOnMissingBean
        PostgresTokenStateBackend caracalTokenState(ObjectProvider<DataSource> dataSource, CaracalProperties properties) {
            DataSource source = dataSource.getIfUnique();
            if (source == null) {
                throw new IllegalStateException(DATA_SOURCE_MISSING);
            }
            PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(source);
            if (properties.getTokenState().getPostgres().isMigrate()) {
                backend.migrate();
            }
            return backend;
        }

        @Bean
        @ConditionalOnProperty(name = "caracal.token-state.postgres.record-on-verify", matchIfMissing = true)
        CaracalVerifierCustomizer caracalTokenStateRecorder(PostgresTokenStateBackend backend) {
            return verifier -> verifier.onVerified(backend.recorder());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("ai.caracal.tokenstate.postgres.PostgresTokenStateBackend")
    static class ModuleMissing {

        @Bean
        CaracalVerifierCustomizer caracalTokenStateRecorder() {
            throw new IllegalStateException(MODULE_MISSING);
        }
    }
}
