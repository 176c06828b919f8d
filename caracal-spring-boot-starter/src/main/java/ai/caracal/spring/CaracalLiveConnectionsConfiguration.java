package ai.caracal.spring;

import ai.caracal.revocation.redis.StreamEventListener;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The open SSE streams and WebSockets of the context (connectors.md §10.4): one {@link LiveConnections}
 * registry, re-checking every {@code caracal.live-connections.recheck-interval} against the verifier's
 * store, handed to the filter; closed with the context, which ends the connections still open. When the
 * Redis consumers run, a revocation or invalidation this replica applies re-checks at once, so its own
 * connections end without waiting for the interval (the other replicas' consumers do the same for theirs).
 */
@Configuration(proxyBeanMethods = false)
class CaracalLiveConnectionsConfiguration {

    /**
     * @param properties {@code caracal.live-connections.*}
     * @param verifier   the default rule's verifier: its store and clock
     * @return the registry, closed with the context
     */
    @Bean
    @ConditionalOnMissingBean
    LiveConnections caracalLiveConnections(CaracalProperties properties, MandateVerifier verifier) {
        return LiveConnections.builder()
                .revocations(verifier.options().revocations())
                .clock(verifier.options().clock())
                .recheckInterval(properties.getLiveConnections().getRecheckInterval())
                .build();
    }

    /** Re-checks at once when this replica's consumers apply an entry; only with caracal-revocation-redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "ai.caracal.revocation.redis.StreamEventListener")
    static class RecheckOnApply {

        /**
         * @param live the registry
         * @return a listener that the starter's consumers call for each entry they handle
         */
        @Bean
        StreamEventListener caracalLiveConnectionsRecheck(LiveConnections live) {
            return (stream, result) -> {
                if (result == StreamEventListener.Result.APPLIED) {
                    live.recheckNow();
                }
            };
        }
    }
}
