package ai.caracal.spring;

import java.util.Locale;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Which revocation store {@code caracal.revocation.*} selects: {@code store} when set; otherwise
 * {@code redis} when {@code redis.url} is set; otherwise none (then a {@code RevocationStore} bean is
 * required). An unknown {@code store} value selects none here and fails when the properties bind.
 */
enum StoreSelection {
    MEMORY, REDIS, NONE;

    static StoreSelection of(Environment environment) {
        String store = environment.getProperty("caracal.revocation.store");
        if (store != null && !store.isBlank()) {
            switch (store.trim().toLowerCase(Locale.ROOT)) {
                case "memory":
                    return MEMORY;
                case "redis":
                    return REDIS;
                default:
                    return NONE;
            }
        }
        String url = environment.getProperty("caracal.revocation.redis.url");
        return url != null && !url.isBlank() ? REDIS : NONE;
    }

    /** Matches when the in-memory store is selected. */
    static final class Memory implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return of(context.getEnvironment()) == MEMORY;
        }
    }

    /** Matches when the Redis store is selected. */
    static final class Redis implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return of(context.getEnvironment()) == REDIS;
        }
    }

    /** Matches when no store is selected. */
    static final class None implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return of(context.getEnvironment()) == NONE;
        }
    }
}
