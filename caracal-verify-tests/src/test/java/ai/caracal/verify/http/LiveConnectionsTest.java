package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationQuery;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.Eventually;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §10.4, the registry alone: what ends a live connection, with which code, and how the
 * re-check talks to the store. Re-checks are driven by calling {@code recheck()} (the registry's own
 * pass), so nothing here depends on timing; the periodic thread is tested with a short interval and a
 * bounded wait on the outcome.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class LiveConnectionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestIssuer issuer;
    private MandateVerifier verifier;
    private final List<LiveConnections> registries = new ArrayList<>();

    @BeforeEach
    void setUp(TestIssuer issuer) {
        this.issuer = issuer;
        this.verifier = issuer.verifier().build();
    }

    @AfterEach
    void closeRegistries() {
        registries.forEach(LiveConnections::close);
    }

    /** A registry on the test clock whose periodic re-check never comes during a test. */
    private LiveConnections registry(RevocationStore store) {
        return registry(store, b -> b.recheckInterval(Duration.ofHours(1)).clock(issuer.clock()));
    }

    private LiveConnections registry(RevocationStore store, Function<LiveConnections.Builder, LiveConnections.Builder> options) {
        LiveConnections registry = options.apply(LiveConnections.builder().revocations(store)).build();
        registries.add(registry);
        return registry;
    }

    private Claims claims(String token) {
        AuthResult result = verifier.authenticate(token);
        assertThat(result.ok()).as("the test mandate verifies").isTrue();
        return result.principal();
    }

    /** Records every end action call. */
    private static final class Ends {
        final List<ErrorCode> codes = new CopyOnWriteArrayList<>();

        void end(ErrorCode code) {
            codes.add(code);
        }
    }

    @Test
    @DisplayName("a revoked anchor ends the connection with session_revoked at the next re-check, once")
    void revokedAnchorEndsTheConnection() {
        LiveConnections live = registry(issuer.revocations());
        Ends ends = new Ends();
        Claims claims = claims(issuer.mint().agentSession("agent-7").sign());
        LiveConnection connection = live.open(claims, ends::end);

        live.recheck();
        assertThat(ends.codes).as("nothing revoked yet").isEmpty();
        assertThat(live.size()).isEqualTo(1);

        issuer.revoke("agent-7");
        live.recheck();
        live.recheck();

        assertThat(ends.codes).containsExactly(ErrorCode.SESSION_REVOKED);
        assertThat(connection.ended()).isTrue();
        assertThat(live.size()).isZero();
    }

    @Test
    @DisplayName("a zone epoch above the mandate's delegation_graph_epoch ends it with delegation_stale; without the claim it stays")
    void staleEpochEndsDelegatedConnections() {
        issuer.setEpoch("zone-1", 3);
        LiveConnections live = registry(issuer.revocations());
        Ends delegated = new Ends();
        Ends plain = new Ends();
        live.open(claims(issuer.mint().delegationEdge().graphEpoch(3).sign()), delegated::end);
        live.open(claims(issuer.mint().sign()), plain::end);

        live.recheck();
        assertThat(delegated.codes).as("epoch 3 = claim 3").isEmpty();

        issuer.advanceEpoch("zone-1");
        live.recheck();

        assertThat(delegated.codes).containsExactly(ErrorCode.DELEGATION_STALE);
        assertThat(plain.codes).as("no delegation_graph_epoch claim").isEmpty();
        assertThat(live.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("a connection the connector closed is no longer re-checked and never ended")
    void closedConnectionIsForgotten() {
        LiveConnections live = registry(issuer.revocations());
        Ends ends = new Ends();
        String sid = "sid-closed";
        LiveConnection connection = live.open(claims(issuer.mint().sid(sid).sign()), ends::end);

        connection.close();
        connection.close();
        issuer.revoke(sid);
        live.recheck();

        assertThat(ends.codes).isEmpty();
        assertThat(connection.ended()).isFalse();
        assertThat(live.size()).isZero();
    }

    @Test
    @DisplayName("exp reached: the re-check ends the connection with invalid_token (the clock is the registry's)")
    void expiredMandateEndsAtTheRecheck() {
        LiveConnections live = registry(issuer.revocations());
        Ends ends = new Ends();
        live.open(claims(issuer.mint().expiresIn(Duration.ofSeconds(30)).sign()), ends::end);

        issuer.clock().advance(Duration.ofSeconds(29));
        live.recheck();
        assertThat(ends.codes).isEmpty();

        issuer.clock().advance(Duration.ofSeconds(1));
        live.recheck();
        assertThat(ends.codes).containsExactly(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("the expiry timer ends the connection at exp, never before it, without any re-check")
    void expiryTimerEndsTheConnectionAtExp() {
        // Real time here: the timer runs on the system clock, the re-check interval is an hour.
        MandateVerifier realTime = issuer.verifier().clock(Clock.systemUTC()).build();
        LiveConnections live = registry(issuer.revocations(), b -> b.recheckInterval(Duration.ofHours(1)));
        Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2);
        AuthResult verified = realTime.authenticate(issuer.mint().issuedAt(exp.minusSeconds(60)).expiresAt(exp).sign());
        assertThat(verified.ok()).isTrue();
        AtomicReference<Instant> endedAt = new AtomicReference<>();
        Ends ends = new Ends();

        live.open(verified.principal(), code -> {
            endedAt.set(Instant.now());
            ends.end(code);
        });

        Eventually.waitUntil(WAIT, "the connection ends at exp", () -> !ends.codes.isEmpty());
        assertThat(ends.codes).containsExactly(ErrorCode.INVALID_TOKEN);
        assertThat(endedAt.get()).as("ended at or after exp").isAfterOrEqualTo(exp);
    }

    @Test
    @DisplayName("a mandate already expired when the connection opens ends it at once")
    void alreadyExpiredEndsAtOnce() {
        Claims claims = claims(issuer.mint().expiresIn(Duration.ofSeconds(5)).sign());
        issuer.clock().advance(Duration.ofSeconds(5));
        LiveConnections live = registry(issuer.revocations());
        Ends ends = new Ends();

        live.open(claims, ends::end);

        Eventually.waitUntil(WAIT, "the connection ends", () -> !ends.codes.isEmpty());
        assertThat(ends.codes).containsExactly(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("a fail-closed store that cannot read its state ends every connection with session_revoked")
    void failedClosedStoreEndsConnections() {
        RevocationStore down = new ScriptedStore(issuer.revocations(), queries -> Collections.nCopies(queries.size(),
                RevocationCheck.FAILED_CLOSED));
        LiveConnections live = registry(down);
        Ends first = new Ends();
        Ends second = new Ends();
        live.open(claims(issuer.mint().sign()), first::end);
        live.open(claims(issuer.mint().sign()), second::end);

        live.recheck();

        assertThat(first.codes).containsExactly(ErrorCode.SESSION_REVOKED);
        assertThat(second.codes).containsExactly(ErrorCode.SESSION_REVOKED);
    }

    @Test
    @DisplayName("a store that throws ends the connections with invalid_token; a fail-open store (CLEAR) leaves them open")
    void throwingStoreEndsConnectionsFailOpenKeepsThem() {
        LiveConnections throwing = registry(new ScriptedStore(issuer.revocations(), queries -> {
            throw new RevocationStoreException("down");
        }));
        LiveConnections failingOpen = registry(new ScriptedStore(issuer.revocations(),
                queries -> Collections.nCopies(queries.size(), RevocationCheck.CLEAR)));
        Ends ended = new Ends();
        Ends kept = new Ends();
        throwing.open(claims(issuer.mint().sign()), ended::end);
        failingOpen.open(claims(issuer.mint().sign()), kept::end);

        throwing.recheck();
        failingOpen.recheck();

        assertThat(ended.codes).containsExactly(ErrorCode.INVALID_TOKEN);
        assertThat(kept.codes).isEmpty();
    }

    @Test
    @DisplayName("a store answering the wrong number of checks ends the batch (invalid_token)")
    void wrongAnswerCountFailsClosed() {
        LiveConnections live = registry(new ScriptedStore(issuer.revocations(), queries -> List.of()));
        Ends ends = new Ends();
        live.open(claims(issuer.mint().sign()), ends::end);

        live.recheck();

        assertThat(ends.codes).containsExactly(ErrorCode.INVALID_TOKEN);
    }

    @Test
    @DisplayName("2,500 connections of 1 anchor each are re-checked in 3 store calls of at most 1,000 anchors")
    void recheckBatchesByAnchors() {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        RevocationStore counting = new ScriptedStore(issuer.revocations(), queries -> {
            batchSizes.add(queries.size());
            return issuer.revocations().checkEach(queries);
        });
        LiveConnections live = registry(counting);
        Claims claims = claims(issuer.mint().sign());
        assertThat(claims.anchors()).as("sid = root_sid: one anchor").hasSize(1);
        for (int i = 0; i < 2500; i++) {
            live.open(claims, code -> { });
        }

        live.recheck();

        assertThat(batchSizes).containsExactlyInAnyOrder(1000, 1000, 500);
    }

    @Test
    @DisplayName("batchAnchors counts every anchor of a connection: 4 anchors each, batches of 10 anchors hold 2 connections")
    void batchesCountEveryAnchor() {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        LiveConnections live = registry(new ScriptedStore(issuer.revocations(), queries -> {
            batchSizes.add(queries.size());
            return issuer.revocations().checkEach(queries);
        }), b -> b.recheckInterval(Duration.ofHours(1)).batchAnchors(10).clock(issuer.clock()));
        Claims claims = claims(issuer.mint().rootSid("root-1").agentSession().delegationEdge().sign());
        assertThat(claims.anchors()).hasSize(4);
        for (int i = 0; i < 5; i++) {
            live.open(claims, code -> { });
        }

        live.recheck();

        assertThat(batchSizes).containsExactlyInAnyOrder(2, 2, 1);
    }

    @Test
    @DisplayName("the periodic re-check ends a revoked connection by itself (interval 50 ms)")
    void periodicRecheckEndsRevokedConnection() {
        LiveConnections live = registry(issuer.revocations(), b -> b.recheckInterval(Duration.ofMillis(50)).clock(issuer.clock()));
        Ends ends = new Ends();
        live.open(claims(issuer.mint().sid("sid-periodic").sign()), ends::end);

        issuer.revoke("sid-periodic");

        Eventually.waitUntil(WAIT, "the periodic re-check ends the connection", () -> !ends.codes.isEmpty());
        assertThat(ends.codes).containsExactly(ErrorCode.SESSION_REVOKED);
    }

    @Test
    @DisplayName("recheckNow re-checks at once, without waiting for the interval (1 h)")
    void recheckNowDoesNotWaitForTheInterval() {
        LiveConnections live = registry(issuer.revocations());
        Ends ends = new Ends();
        live.open(claims(issuer.mint().sid("sid-now").sign()), ends::end);
        issuer.revoke("sid-now");

        live.recheckNow();

        Eventually.waitUntil(WAIT, "recheckNow ends the connection", () -> !ends.codes.isEmpty());
        assertThat(ends.codes).containsExactly(ErrorCode.SESSION_REVOKED);
    }

    @Test
    @DisplayName("close() ends the open connections with invalid_token; a connection opened afterwards ends at once")
    void closeEndsOpenConnections() {
        LiveConnections live = registry(issuer.revocations());
        Ends before = new Ends();
        Ends after = new Ends();
        live.open(claims(issuer.mint().sign()), before::end);

        live.close();
        live.close();
        live.open(claims(issuer.mint().sign()), after::end);

        assertThat(before.codes).containsExactly(ErrorCode.INVALID_TOKEN);
        assertThat(after.codes).containsExactly(ErrorCode.INVALID_TOKEN);
        assertThat(live.size()).isZero();
    }

    @Test
    @DisplayName("an end action that throws is logged; the connection is forgotten and the others still end")
    void throwingEndActionDoesNotStopTheOthers() {
        LiveConnections live = registry(issuer.revocations());
        Ends ends = new Ends();
        live.open(claims(issuer.mint().sid("sid-x").sign()), code -> {
            throw new IllegalStateException("already completed");
        });
        live.open(claims(issuer.mint().sid("sid-y").sign()), ends::end);
        issuer.revoke("sid-x");
        issuer.revoke("sid-y");

        live.recheck();

        assertThat(ends.codes).containsExactly(ErrorCode.SESSION_REVOKED);
        assertThat(live.size()).isZero();
    }

    @Test
    @DisplayName("builder: the store is required; the interval is at least 10 ms; batchAnchors at least 1")
    void builderValidates() {
        assertThatThrownBy(() -> LiveConnections.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("revocations");
        assertThatThrownBy(() -> LiveConnections.builder().recheckInterval(Duration.ofMillis(9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 ms");
        assertThatThrownBy(() -> LiveConnections.builder().batchAnchors(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchAnchors");
        assertThat(LiveConnections.builder().revocations(new InMemoryRevocationStore()).build().recheckInterval())
                .isEqualTo(Duration.ofSeconds(2));
    }

    /** A store whose batch check is scripted; everything else goes to a real store. */
    private static final class ScriptedStore implements RevocationStore {
        private final RevocationStore delegate;
        private final Function<List<RevocationQuery>, List<RevocationCheck>> batch;

        ScriptedStore(RevocationStore delegate, Function<List<RevocationQuery>, List<RevocationCheck>> batch) {
            this.delegate = delegate;
            this.batch = batch;
        }

        @Override
        public List<RevocationCheck> checkEach(List<RevocationQuery> queries) {
            return batch.apply(queries);
        }

        @Override
        public boolean isRevoked(String anchor) {
            return delegate.isRevoked(anchor);
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            delegate.revoke(anchor, ttl);
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            return delegate.currentDelegationEpoch(zoneId);
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            return delegate.advanceDelegationEpoch(zoneId, epoch, ttl);
        }
    }
}
