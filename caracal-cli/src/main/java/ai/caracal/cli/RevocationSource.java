package ai.caracal.cli;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.RedisRevocationStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The revocation store of one command run, and whatever must be closed with it. */
final class RevocationSource implements AutoCloseable {

    /**
     * A one-shot run checks revocation once, right after connecting; give the connection time to come
     * up before a lookup fails closed (the library default of 250 ms suits servers that stay connected).
     */
    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(3);

    private final RevocationStore store;
    private final RedisClient client;

    private RevocationSource(RevocationStore store, RedisClient client) {
        this.store = store;
        this.client = client;
    }

    static RevocationSource inMemory(List<String> revoked, String zoneId, Long epoch) {
        InMemoryRevocationStore store = new InMemoryRevocationStore();
        revoked.forEach(store::revoke);
        if (epoch != null) {
            store.advanceDelegationEpoch(zoneId, epoch);
        }
        return new RevocationSource(store, null);
    }

    static RevocationSource redis(String url, CommandLine commandLine) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new ParameterException(commandLine, "--redis is not a Redis URL (expected redis://host:port)");
        }
        RedisClient client = RedisClient.create(uri);
        RedisRevocationStore store = RedisRevocationStore.builder()
                .client(client)
                .commandTimeout(REDIS_TIMEOUT)
                .warnOnUnsafeEviction(false)
                .build();
        return new RevocationSource(store, client);
    }

    RevocationStore store() {
        return store;
    }

    @Override
    public void close() {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing a one-shot store cannot change the outcome already printed.
            }
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
