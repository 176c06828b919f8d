package ai.caracal.spring;

import ai.caracal.verify.audit.AsyncAuditSink;
import ai.caracal.verify.audit.AuditEvent;
import ai.caracal.verify.audit.AuditSink;
import ai.caracal.verify.audit.Slf4jAuditSink;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Audit of the boundary's decisions (connectors.md §11): the JSON-lines log sink when
 * {@code caracal.audit.log=true}, the Redis stream sink when {@code caracal.audit.redis.enabled=true}
 * (in {@link RedisRevocationConfiguration}), any {@link AuditSink} bean of yours, and the
 * {@link CaracalAudit} queue over all of them that the filter uses.
 */
@Configuration(proxyBeanMethods = false)
class CaracalAuditConfiguration {

    @Bean
    @ConditionalOnProperty(name = "caracal.audit.log", havingValue = "true")
    Slf4jAuditSink caracalLogAuditSink(CaracalProperties properties) {
        String logger = properties.getAudit().getLogger();
        return new Slf4jAuditSink(logger == null || logger.isBlank() ? Slf4jAuditSink.DEFAULT_LOGGER : logger.trim());
    }

    /**
     * @param properties {@code caracal.audit.*}
     * @param sinks      every {@link AuditSink} bean
     * @return the queue over them (without a sink when there is none)
     * @throws IllegalArgumentException when {@code caracal.audit.redis.enabled} is set without the Redis
     *                                  revocation store, or the capacity is below 1
     */
    @Bean
    @ConditionalOnMissingBean
    CaracalAudit caracalAudit(CaracalProperties properties, ObjectProvider<AuditSink> sinks) {
        List<AuditSink> all = sinks.orderedStream().toList();
        if (properties.getAudit().getRedis().isEnabled()
                && all.stream().noneMatch(sink -> sink.getClass().getName().equals("ai.caracal.revocation.redis.RedisAuditSink"))) {
            throw new IllegalArgumentException("caracal.audit.redis.enabled needs the Redis revocation store"
                    + " (caracal.revocation.redis.url and caracal-revocation-redis on the class path)");
        }
        if (all.isEmpty()) {
            return new CaracalAudit(null);
        }
        if (properties.getAudit().getCapacity() < 1) {
            throw new IllegalArgumentException("caracal.audit.capacity must be at least 1");
        }
        AuditSink delegate = all.size() == 1 ? all.get(0) : new Fanout(all);
        return new CaracalAudit(AsyncAuditSink.builder(delegate).capacity(properties.getAudit().getCapacity()).build());
    }

    /** Every sink gets every event; one that throws does not keep the event from the others. */
    private record Fanout(List<AuditSink> sinks) implements AuditSink {
        @Override
        public void record(AuditEvent event) {
            RuntimeException first = null;
            for (AuditSink sink : sinks) {
                try {
                    sink.record(event);
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
