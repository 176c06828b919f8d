package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.TestJson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connectors.md §10.1: the non-blocking verifier. {@code authenticateAsync} gives the blocking path's
 * answer (the whole specification runs through it in this module's {@code async-path} run); these
 * tests hold what only the asynchronous form promises: complete at once when memory suffices, never
 * waiting on the calling thread otherwise, one fetch shared with blocking callers, and a store stage
 * that fails or never answers still fails closed. Nothing here measures time: gates decide when the
 * JWKS and the store answer.
 */
@CaracalTest
@DisplayName("Asynchronous verification (connectors.md §10.1)")
class AsyncVerificationTest {

    private static final long WAIT_SECONDS = 20;

    @Test
    @DisplayName("with the key set held and an in-memory store, the stage is complete when authenticateAsync returns")
    void completesAtOnceWhenEverythingIsInMemory(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().build();
        verifier.warmup();
        String token = issuer.mint().sign();

        CompletableFuture<AuthResult> first = verifier.authenticateAsync(token).toCompletableFuture();
        CompletableFuture<AuthResult> repeat = verifier.authenticateAsync(token).toCompletableFuture();
        CompletableFuture<AuthResult> missing = verifier.authorizationAsync(null).toCompletableFuture();

        assertThat(first).isDone();
        assertThat(first.join()).isOk();
        assertThat(repeat).isDone();
        assertThat(repeat.join()).isOk();
        assertThat(missing).isDone();
        assertThat(missing.join()).failedWith(ErrorCode.MISSING_TOKEN);
    }

    @Test
    @DisplayName("a cold key set: authenticateAsync returns before the JWKS answers, and one fetch serves it and a blocking caller")
    void coldKeySetIsFetchedWithoutWaitingOnTheCaller(TestIssuer issuer) throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        byte[] document = TestJson.jwks(issuer.publicJwk(issuer.zone())).getBytes(StandardCharsets.UTF_8);
        try (StubHttpServer jwks = StubHttpServer.start(exchange -> {
            try {
                answer.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
        })) {
            MandateVerifier verifier = issuer.verifier().issuer(jwks.url()).jwksFetchTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();
            String token = issuer.mint().claim("iss", jwks.url()).sign();

            CompletableFuture<AuthResult> pending = verifier.authenticateAsync(token).toCompletableFuture();
            AtomicReference<AuthResult> blocking = new AtomicReference<>();
            Thread blocked = new Thread(() -> blocking.set(verifier.authenticate(token)));
            blocked.start();

            assertThat(pending).isNotDone();   // the JWKS has not answered: it cannot be done
            answer.countDown();
            assertThat(pending.get(WAIT_SECONDS, TimeUnit.SECONDS)).isOk();
            blocked.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(blocking.get()).isOk();
            assertThat(jwks.requests()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("an unreachable JWKS: the stage completes with invalid_token (keys_unavailable), never exceptionally")
    void unreachableJwksFailsClosed(TestIssuer issuer) throws Exception {
        issuer.jwks().failWith(503);
        MandateVerifier verifier = issuer.verifier().build();

        AuthResult result = verifier.authenticateAsync(issuer.mint().sign()).toCompletableFuture()
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(result).failedWith(ErrorCode.INVALID_TOKEN);
        assertThat(result.cause()).isEqualTo(Cause.KEYS_UNAVAILABLE);
    }

    @Test
    @DisplayName("the store's stage answers later: the result waits for it, and a revoked anchor still gives session_revoked")
    void waitsForTheStoresStage(TestIssuer issuer) throws Exception {
        GatedStore store = new GatedStore(issuer.revocations());
        MandateVerifier verifier = issuer.verifier().revocations(store).build();
        verifier.warmup();
        issuer.revoke("agent-9");

        CompletableFuture<AuthResult> pending = verifier.authenticateAsync(issuer.mint().agentSession("agent-9").sign())
                .toCompletableFuture();

        assertThat(pending).isNotDone();
        store.open();
        assertThat(pending.get(WAIT_SECONDS, TimeUnit.SECONDS)).failedWith(ErrorCode.SESSION_REVOKED);
        assertThat(store.asyncCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("a store stage that fails, or a checkAsync that throws: invalid_token (store_unavailable), never an exceptional stage")
    void failingStoreFailsClosed(TestIssuer issuer) throws Exception {
        for (RevocationStore store : List.of(new FailingStore(false), new FailingStore(true))) {
            MandateVerifier verifier = issuer.verifier().revocations(store).build();

            AuthResult result = verifier.authenticateAsync(issuer.mint().sign()).toCompletableFuture()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(result).failedWith(ErrorCode.INVALID_TOKEN).hasDescription("Revocation state unavailable");
            assertThat(result.cause()).isEqualTo(Cause.STORE_UNAVAILABLE);
        }
    }

    @Test
    @DisplayName("a store that failed closed (RevocationCheck.FAILED_CLOSED): session_revoked on the wire, store_unavailable as the cause, on both paths")
    void storeThatFailedClosedIsAnOutageNotARevocation(TestIssuer issuer) throws Exception {
        RevocationStore failedClosed = new FixedStore(RevocationCheck.FAILED_CLOSED);
        MandateVerifier verifier = issuer.verifier().revocations(failedClosed).build();
        String token = issuer.mint().sign();

        AuthResult blocking = verifier.authenticate(token);
        AuthResult async = verifier.authenticateAsync(token).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);

        for (AuthResult result : List.of(blocking, async)) {
            assertThat(result).failedWith(ErrorCode.SESSION_REVOKED).hasStatus(401);
            assertThat(result.cause()).isEqualTo(Cause.STORE_UNAVAILABLE);
        }
    }

    @Test
    @DisplayName("listeners see the asynchronous outcome once, with its duration")
    void listenersSeeAsyncOutcomes(TestIssuer issuer) throws Exception {
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<AuthResult> last = new AtomicReference<>();
        MandateVerifier verifier = issuer.verifier().listener(new VerificationListener() {
            @Override
            public void verified(AuthResult result, long durationNanos) {
                seen.incrementAndGet();
                last.set(result);
            }
        }).build();

        AuthResult result = verifier.authenticateAsync(issuer.mint().sign()).toCompletableFuture()
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(result).isOk();
        assertThat(seen).hasValue(1);
        assertThat(last.get()).isSameAs(result);
    }

    @Test
    @DisplayName("a JwksFetcher of your own serves the key set; a client that follows redirects is refused at build")
    void pluggableFetcher(TestIssuer issuer) throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        JwksFetcher delegate = JwksFetcher.defaults();
        JwksFetcher counting = (URI uri, Duration timeout, int maxBytes) -> {
            fetches.incrementAndGet();
            return delegate.fetch(uri, timeout, maxBytes);
        };
        MandateVerifier verifier = issuer.verifier().jwksFetcher(counting).build();

        assertThat(verifier.authenticateAsync(issuer.mint().sign()).toCompletableFuture()
                .get(WAIT_SECONDS, TimeUnit.SECONDS)).isOk();
        assertThat(verifier.authenticate(issuer.mint().sign())).isOk();
        assertThat(fetches).hasValue(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JwksFetcher.httpClient(
                        java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redirects");
    }

    /** Answers the wrapped store's result only once opened. */
    private static final class GatedStore implements RevocationStore {
        private final RevocationStore delegate;
        private final CompletableFuture<Void> gate = new CompletableFuture<>();
        private final AtomicInteger asyncCalls = new AtomicInteger();

        GatedStore(RevocationStore delegate) {
            this.delegate = delegate;
        }

        void open() {
            gate.complete(null);
        }

        int asyncCalls() {
            return asyncCalls.get();
        }

        @Override
        public CompletionStage<RevocationCheck> checkAsync(List<String> anchors, String zoneId) {
            asyncCalls.incrementAndGet();
            return gate.thenApplyAsync(ignored -> delegate.check(anchors, zoneId));
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

    /** Fails every asynchronous check, by a failed stage or by throwing. */
    private static final class FailingStore extends FixedStore {
        private final boolean throwing;

        FailingStore(boolean throwing) {
            super(RevocationCheck.CLEAR);
            this.throwing = throwing;
        }

        @Override
        public CompletionStage<RevocationCheck> checkAsync(List<String> anchors, String zoneId) {
            RevocationStoreException failure = new RevocationStoreException("store down (test)");
            if (throwing) {
                throw failure;
            }
            return CompletableFuture.failedFuture(failure);
        }
    }

    /** Answers every check with one fixed value. */
    private static class FixedStore implements RevocationStore {
        private final RevocationCheck answer;

        FixedStore(RevocationCheck answer) {
            this.answer = answer;
        }

        @Override
        public RevocationCheck check(List<String> anchors, String zoneId) {
            return answer;
        }

        @Override
        public boolean isRevoked(String anchor) {
            return answer.revoked();
        }

        @Override
        public void revoke(String anchor, Duration ttl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long currentDelegationEpoch(String zoneId) {
            return answer.currentEpoch();
        }

        @Override
        public boolean advanceDelegationEpoch(String zoneId, long epoch, Duration ttl) {
            throw new UnsupportedOperationException();
        }
    }
}
