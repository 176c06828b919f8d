package ai.caracal.revocation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** State.md §6.1 options and S31–S33. Building never contacts Redis, so the client here points nowhere. */
class ConsumerBuilderTest {

    private static RedisClient nowhere;

    @BeforeAll
    static void createClient() {
        nowhere = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + RedisForTests.freePort()));
    }

    @AfterAll
    static void shutdownClient() {
        nowhere.shutdown();
    }

    private static RedisRevocationConsumer.Builder valid() {
        return RedisRevocationConsumer.builder().client(nowhere).store(new InMemoryRevocationStore()).consumer("c1");
    }

    @Test
    @DisplayName("S31 requireSignature(true) without a key is rejected")
    void requireSignatureWithoutKeyIsRejected() {
        assertThatThrownBy(() -> valid().requireSignature(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stream HMAC key is required when signatures are required");
        assertThatThrownBy(() -> DelegationInvalidationConsumer.builder().client(nowhere)
                .store(new InMemoryRevocationStore()).consumer("c1").requireSignature(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stream HMAC key is required");
    }

    @Test
    @DisplayName("S32 a blank consumer name or a missing store is rejected")
    void blankConsumerOrMissingStoreIsRejected() {
        assertThatThrownBy(() -> valid().consumer(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumer");
        assertThatThrownBy(() -> valid().consumer(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("consumer");
        assertThatThrownBy(() -> RedisRevocationConsumer.builder().client(nowhere).consumer("c1").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("store is required");
        assertThatThrownBy(() -> RedisRevocationConsumer.builder().client(nowhere).store(new InMemoryRevocationStore())
                .build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("consumer is required");
    }

    @Test
    @DisplayName("S33 a 31-byte hex key and non-hex text are rejected")
    void shortOrNonHexKeyIsRejected() {
        assertThatThrownBy(() -> valid().streamHmacKeyHex("07".repeat(31)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> valid().streamHmacKeyHex("not a hex key at all, not even close!!".repeat(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hex");
        assertThatThrownBy(() -> valid().streamHmacKeyHex("0".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hex");
        assertThatThrownBy(() -> valid().streamHmacKey(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
    }

    @Test
    @DisplayName("a key in either case of hex, or as 32 raw bytes, is accepted and makes signatures required")
    void keysAreAccepted() {
        try (RedisRevocationConsumer lower = valid().streamHmacKeyHex("ab".repeat(32)).build();
             RedisRevocationConsumer upper = valid().streamHmacKeyHex("AB".repeat(32)).requireSignature(true).build();
             RedisRevocationConsumer raw = valid().streamHmacKey(new byte[32]).build()) {
            assertThat(lower.stream()).isEqualTo(upper.stream()).isEqualTo(raw.stream());
        }
    }

    @Test
    @DisplayName("requireSignature(false) together with a key is rejected")
    void requireSignatureFalseWithKeyIsRejected() {
        assertThatThrownBy(() -> valid().streamHmacKey(new byte[32]).requireSignature(false).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("requireSignature(false)");
    }

    @Test
    @DisplayName("block must lie between 1 ms and 60 s; BLOCK 0 is never allowed")
    void blockIsBounded() {
        assertThatThrownBy(() -> valid().block(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 ms and 60 s");
        assertThatThrownBy(() -> valid().block(Duration.ofNanos(999_999))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().block(Duration.ofSeconds(61))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().block(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("block");
        try (RedisRevocationConsumer shortest = valid().block(Duration.ofMillis(1)).build();
             RedisRevocationConsumer longest = valid().block(Duration.ofSeconds(60)).build()) {
            assertThat(shortest.block()).isEqualTo(Duration.ofMillis(1));
            assertThat(longest.block()).isEqualTo(Duration.ofSeconds(60));
        }
    }

    @Test
    @DisplayName("a client is required, and only one kind of client may be set")
    void exactlyOneClientIsRequired() {
        assertThatThrownBy(() -> RedisRevocationConsumer.builder().store(new InMemoryRevocationStore()).consumer("c1").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client is required");
        RedisClusterClient cluster = RedisClusterClient.create(RedisURI.create("redis://127.0.0.1:1"));
        try {
            assertThatThrownBy(() -> valid().client(cluster).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
        } finally {
            cluster.shutdown();
        }
    }

    @Test
    @DisplayName("defaults: stream names, groups and a 2 s block; building never contacts Redis")
    void defaultsNeedNoRedis() {
        try (RedisRevocationConsumer revocations = valid().build();
             DelegationInvalidationConsumer delegations = DelegationInvalidationConsumer.builder().client(nowhere)
                     .store(new InMemoryRevocationStore()).consumer("c1").build()) {
            assertThat(revocations.stream()).isEqualTo("caracal.sessions.revoke");
            assertThat(revocations.group()).isEqualTo("resource-revocation");
            assertThat(revocations.block()).isEqualTo(Duration.ofSeconds(2));
            assertThat(delegations.stream()).isEqualTo("caracal.delegations.invalidate");
            assertThat(delegations.group()).isEqualTo("resource-delegation-invalidation");
            assertThat(delegations.consumerName()).isEqualTo("c1");

            assertThatThrownBy(revocations::ensureGroup).isInstanceOf(RevocationStoreException.class)
                    .hasMessageContaining("connect");
        }
    }
}
