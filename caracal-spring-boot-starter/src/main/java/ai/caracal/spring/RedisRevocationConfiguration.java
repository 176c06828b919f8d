package ai.caracal.spring;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.ConsumerRunner;
import ai.caracal.revocation.redis.DelegationInvalidationConsumer;
import ai.caracal.revocation.redis.RedisAuditSink;
import ai.caracal.revocation.redis.RedisRevocationConsumer;
import ai.caracal.revocation.redis.RedisRevocationStore;
import ai.caracal.revocation.redis.StreamEventListener;
import ai.caracal.spring.metrics.ConsumerHealthMetrics;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis revocation store (state.md §4) on a Lettuce client the starter creates and shuts down, and,
 * unless {@code caracal.revocation.redis.consumer.enabled=false}, the revocation and
 * delegation-invalidation stream consumers (state.md §6) in a {@link ConsumerRunner} started and
 * stopped with the context; every {@code StreamEventListener} bean (with Micrometer, the
 * {@code caracal.revocation.events} counter) hears of each entry they handle, and with a
 * {@code MeterRegistry} the runner's health is exported ({@link ConsumerHealthMetrics}). Backs off entirely when the application declares its own
 * {@link RevocationStore}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "ai.caracal.revocation.redis.RedisRevocationStore")
@Conditional(StoreSelection.Redis.class)
@ConditionalOnMissingBean(RevocationStore.class)
class RedisRevocationConfiguration {

    @Bean
    CaracalRedisClient caracalRedisClient(CaracalProperties properties) {
        String url = properties.getRevocation().getRedis().getUrl();
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("caracal.revocation.store=redis needs caracal.revocation.redis.url");
        }
        return new CaracalRedisClient(RedisClient.create(url.trim()));
    }

    @Bean
    RedisRevocationStore caracalRevocationStore(CaracalRedisClient redis, CaracalProperties properties) {
        CaracalProperties.Redis settings = properties.getRevocation().getRedis();
        return RedisRevocationStore.builder()
                .client(redis.client())
                .keyPrefix(settings.getKeyPrefix())
                .defaultTtl(settings.getDefaultTtl())
                .failClosed(settings.isFailClosed())
                .commandTimeout(settings.getCommandTimeout())
                .build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "caracal.revocation.redis.consumer.enabled", matchIfMissing = true)
    static class Consumers {

        @Bean
        @ConditionalOnMissingBean
        ConsumerRunner caracalConsumerRunner(CaracalRedisClient redis, RevocationStore store, CaracalProperties properties,
                                             ObjectProvider<StreamEventListener> listeners) {
            CaracalProperties.Consumer settings = properties.getRevocation().getRedis().getConsumer();
            String name = settings.getName() == null || settings.getName().isBlank() ? defaultName() : settings.getName().trim();
            RedisRevocationConsumer.Builder revocations = RedisRevocationConsumer.builder()
                    .client(redis.client()).store(store).consumer(name).group(settings.getRevocationGroup())
                    .batchSize(settings.getBatchSize()).block(settings.getBlock()).pendingIdle(settings.getPendingIdle())
                    .deadLetterMaxLength(settings.getDeadLetterMaxLength());
            DelegationInvalidationConsumer.Builder delegations = DelegationInvalidationConsumer.builder()
                    .client(redis.client()).store(store).consumer(name).group(settings.getDelegationGroup())
                    .batchSize(settings.getBatchSize()).block(settings.getBlock()).pendingIdle(settings.getPendingIdle())
                    .deadLetterMaxLength(settings.getDeadLetterMaxLength());
            List<String> keys = streamHmacKeys(settings.getStreamHmacKey());
            if (!keys.isEmpty()) {
                revocations.streamHmacKeysHex(keys);
                delegations.streamHmacKeysHex(keys);
            }
            if (settings.getRequireSignature() != null) {
                revocations.requireSignature(settings.getRequireSignature());
                delegations.requireSignature(settings.getRequireSignature());
            }
            StreamEventListener listener = combined(listeners.orderedStream().toList());
            if (listener != null) {
                revocations.listener(listener);
                delegations.listener(listener);
            }
            return ConsumerRunner.builder().add(revocations.build()).add(delegations.build()).build();
        }

        /**
         * The configured keys, trimmed; none when the property is unset or blank (for example an empty
         * {@code ${STREAMS_HMAC_KEY:}}). A blank element beside real keys is a configuration error rather
         * than a key silently dropped.
         */
        static List<String> streamHmacKeys(List<String> configured) {
            if (configured == null || configured.stream().allMatch(key -> key == null || key.isBlank())) {
                return List.of();
            }
            List<String> keys = new ArrayList<>(configured.size());
            for (String key : configured) {
                if (key == null || key.isBlank()) {
                    throw new IllegalStateException("caracal.revocation.redis.consumer.stream-hmac-key has an empty element");
                }
                keys.add(key.trim());
            }
            return keys;
        }

        /**
         * Every {@link StreamEventListener} bean (the Micrometer binder among them), called in order, or
         * {@code null} when there is none, so the consumers then call nothing.
         */
        static StreamEventListener combined(List<StreamEventListener> listeners) {
            if (listeners.isEmpty()) {
                return null;
            }
            if (listeners.size() == 1) {
                return listeners.get(0);
            }
            return (stream, result) -> listeners.forEach(listener -> listener.entryHandled(stream, result));
        }

        @Bean
        ConsumerRunnerLifecycle caracalConsumerLifecycle(ConsumerRunner runner) {
            return new ConsumerRunnerLifecycle(runner);
        }

        /**
         * The consumers' health gauges ({@link ConsumerHealthMetrics}) for the runner, the starter's or
         * the application's own, when Micrometer and a {@code MeterRegistry} bean exist.
         */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
        static class Health {

            @Bean
            @ConditionalOnBean(MeterRegistry.class)
            @ConditionalOnMissingBean
            ConsumerHealthMetrics caracalConsumerHealthMetrics(MeterRegistry registry, ConsumerRunner runner) {
                return new ConsumerHealthMetrics(registry, runner);
            }
        }

        /** {@code <hostname>-<pid>}, unique per instance as consumer names must be. */
        static String defaultName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = System.getenv().getOrDefault("HOSTNAME", "localhost");
            }
            long pid = ProcessHandle.current().pid();
            return host + "-" + pid;
        }
    }

    /** The Redis stream audit sink on the store's Redis, when {@code caracal.audit.redis.enabled}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "caracal.audit.redis.enabled", havingValue = "true")
    static class Audit {

        @Bean
        @ConditionalOnMissingBean
        RedisAuditSink caracalRedisAuditSink(CaracalRedisClient redis, CaracalProperties properties) {
            CaracalProperties.Audit.Redis settings = properties.getAudit().getRedis();
            try {
                return RedisAuditSink.builder().client(redis.client()).stream(settings.getStream())
                        .maxLength(settings.getMaxLength()).build();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("Invalid caracal.audit.redis settings: " + e.getMessage(), e);
            }
        }
    }

    /** The starter's own Lettuce client: not a {@code RedisClient} bean, so it never competes with yours. */
    static final class CaracalRedisClient implements AutoCloseable {
        private final RedisClient client;

        CaracalRedisClient(RedisClient client) {
            this.client = client;
        }

        RedisClient client() {
            return client;
        }

        @Override
        public void close() {
            client.shutdown();
        }
    }
}
