package ai.caracal.spring;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The in-memory store, and the start-up failures when no store can be had. There is no silent
 * in-memory default: without {@code caracal.revocation.store} or {@code caracal.revocation.redis.url},
 * the application must declare a {@link RevocationStore} bean. The Redis store lives in
 * {@link RedisRevocationConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class RevocationStoreConfiguration {

    static final String STORE_MISSING = "Caracal revocation store missing: set caracal.revocation.redis.url "
            + "(production), or caracal.revocation.store=memory (development, single instance), "
            + "or declare a RevocationStore bean";

    static final String REDIS_MODULE_MISSING = "Caracal Redis revocation store selected, but "
            + "ai.caracal:caracal-revocation-redis is not on the classpath: add it, or declare a RevocationStore bean";

    @Configuration(proxyBeanMethods = false)
    @Conditional(StoreSelection.Memory.class)
    static class Memory {

        @Bean
        @ConditionalOnMissingBean(RevocationStore.class)
        InMemoryRevocationStore caracalRevocationStore(CaracalProperties properties) {
            CaracalProperties.Memory memory = properties.getRevocation().getMemory();
            return InMemoryRevocationStore.builder()
                    .maxEntries(memory.getMaxEntries())
                    .defaultTtl(memory.getDefaultTtl())
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(StoreSelection.None.class)
    static class Missing {

        // Lazy: it fails only when something needs a store (the starter's verifier does; a verifier
        // bean of your own, with its own store, does not).
        @Bean
        @Lazy
        @ConditionalOnMissingBean(RevocationStore.class)
        RevocationStore caracalRevocationStore(CaracalProperties properties) {
            // Taking the properties first lets a bad caracal.revocation.store value fail as a binding error.
            throw new IllegalStateException(STORE_MISSING);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(StoreSelection.Redis.class)
    @ConditionalOnMissingClass("ai.caracal.revocation.redis.RedisRevocationStore")
    static class RedisModuleMissing {

        @Bean
        @Lazy
        @ConditionalOnMissingBean(RevocationStore.class)
        RevocationStore caracalRevocationStore() {
            throw new IllegalStateException(REDIS_MODULE_MISSING);
        }
    }
}
