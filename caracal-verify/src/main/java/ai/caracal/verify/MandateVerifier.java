package ai.caracal.verify;

import ai.caracal.revocation.RevocationCheck;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.revocation.internal.RateLimitedWarning;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Why this file is long: it is the single entry point, and it runs the spec's checks in their canonical
// order (steps 1–24) in two forms, blocking and asynchronous, that must give the same results; keeping both
// pipelines and their shared failure handling (store outages, listener failures, invalid_token by cause)
// side by side is what lets that order be audited in one place. Parsing, keys, claims and caching already
// live in CompactJws, ClaimsParser, KeySource and VerifiedTokenCache, and the builder's options in
// VerifierBuilder.

/**
 * Verifies Caracal mandates: the single entry point every connector calls.
 *
 * <pre>{@code
 * MandateVerifier verifier = MandateVerifier.builder()
 *     .issuer("https://sts.example.com").audience("https://mcp.example.com").zoneId("zone_prod")
 *     .requiredScopes("mcp:tool:call").requireAgent(true).revocations(revocations).build();
 * AuthResult result = verifier.authorization(request.getHeader("Authorization"));
 * }</pre>
 *
 * <p>Checks run in the canonical order and stop at the first failure: structure and header, key for
 * the header {@code kid} from the configured issuer and zone's JWKS, ES256 signature, payload, then
 * {@code iss}, {@code aud}, {@code exp} (strict), {@code nbf} and {@code iat} (60 s leeway),
 * {@code use}, required claims and claim types, {@code zone_id}, required targets, scopes, agent,
 * delegation, chain and hop count, then one revocation-store call for every anchor and the zone
 * epoch. Only then do the {@code onVerified} listeners run.
 *
 * <p><b>Never throws for any token or header</b>, however hostile: every failure is an
 * {@link AuthResult} with an {@link ErrorCode} and a {@link Cause}. A blocking call waits for at most one
 * JWKS fetch (5 s by default) plus one revocation-store round trip; the {@code ...Async} forms never
 * block and give the same results. If the key set cannot be fetched, or the store cannot answer, the
 * mandate is rejected (fail closed).
 *
 * <p>Immutable and thread-safe; share one instance. {@link #require(Requirements)} derives verifiers
 * that share the key cache and the verified-token cache.
 */
public final class MandateVerifier {

    private static final Logger log = LoggerFactory.getLogger(MandateVerifier.class);

    static final AuthResult MISSING_TOKEN = AuthResult.failure(AuthError.of(ErrorCode.MISSING_TOKEN));
    static final AuthResult INVALID_TOKEN = AuthResult.failure(AuthError.of(ErrorCode.INVALID_TOKEN), Cause.INTERNAL);
    private static final AuthResult INVALID_ZONE = AuthResult.failure(AuthError.of(ErrorCode.INVALID_ZONE));
    private static final AuthResult SESSION_REVOKED = AuthResult.failure(AuthError.of(ErrorCode.SESSION_REVOKED));
    private static final AuthResult STORE_FAILED_CLOSED =
            AuthResult.failure(AuthError.of(ErrorCode.SESSION_REVOKED), Cause.STORE_UNAVAILABLE);
    private static final AuthResult DELEGATION_STALE = AuthResult.failure(AuthError.of(ErrorCode.DELEGATION_STALE));
    private static final AuthResult REVOCATION_UNAVAILABLE = AuthResult.failure(new AuthError(
            ErrorCode.INVALID_TOKEN, AuthError.REVOCATION_UNAVAILABLE, ErrorCode.INVALID_TOKEN.hint()),
            Cause.STORE_UNAVAILABLE);
    /** {@code invalid_token} for each cause, shared: a rejection allocates nothing. */
    private static final Map<Cause, AuthResult> INVALID_BY_CAUSE = invalidByCause();
    private static final CompletableFuture<AuthResult> MISSING_TOKEN_NOW = CompletableFuture.completedFuture(MISSING_TOKEN);

    private static final long LEEWAY_SECONDS = 60;
    private static final RateLimitedWarning unexpectedWarning = new RateLimitedWarning(Duration.ofSeconds(10));

    /**
     * Test seam, package-private on purpose: when set, {@link #authenticate(String)} and its siblings
     * answer through the asynchronous path, so the whole verification specification runs through both
     * paths ({@code caracal-verify-tests} sets it for its second run). Never set in production code.
     */
    static volatile boolean blockingThroughAsync;

    private final VerifierOptions options;
    private final String zoneId;
    private final KeySource keys;
    private final VerifiedTokenCache tokenCache;
    private final Consumer<Claims>[] onVerified;
    private final VerificationListener[] listeners;
    private final IssuerSpelling issuerSpelling;
    private final Tracing tracing;
    /** Each verifier logs a store outage at most once per 10 s. */
    private final RateLimitedWarning storeWarning = new RateLimitedWarning(Duration.ofSeconds(10));

    private MandateVerifier(VerifierOptions options, KeySource keys, VerifiedTokenCache tokenCache) {
        this.options = options;
        this.zoneId = options.zoneId().orElse(null);
        this.keys = keys;
        this.tokenCache = tokenCache;
        @SuppressWarnings("unchecked")
        Consumer<Claims>[] array = options.onVerified().toArray(new Consumer[0]);
        this.onVerified = array;
        this.listeners = options.listeners().toArray(new VerificationListener[0]);
        this.issuerSpelling = new IssuerSpelling(options.issuer());
        this.tracing = options.tracing();
    }

    static MandateVerifier create(VerifierOptions options) {
        KeySource keys = options.jwksCache().source(options.jwksUri());
        return new MandateVerifier(options, keys, options.verifiedTokenCache() ? new VerifiedTokenCache() : null);
    }

    /** @return a builder; {@code issuer}, {@code audience} and {@code revocations} are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a bare token (without the {@code Bearer} prefix).
     *
     * @param token the compact JWS; {@code null} or {@code ""} gives {@code missing_token}
     * @return the outcome; never {@code null}, never throws
     */
    public AuthResult authenticate(String token) {
        return verify(token, options.demands());
    }

    /**
     * Verifies a bare token with per-call requirements, exactly like
     * {@code require(overrides).authenticate(token)}.
     *
     * @param token     the compact JWS
     * @param overrides per-call requirements; {@code null} means none
     * @return the outcome; never {@code null}, never throws
     */
    public AuthResult authenticate(String token, Requirements overrides) {
        return verify(token, options.demands().with(overrides));
    }

    /**
     * Verifies the value of an {@code Authorization} header. A missing header, another scheme or a
     * blank token gives {@code missing_token}.
     *
     * @param authorizationHeader the header value; may be {@code null}
     * @return the outcome; never {@code null}, never throws
     */
    public AuthResult authorization(String authorizationHeader) {
        return authenticate(AuthHeaders.extractBearer(authorizationHeader).orElse(null));
    }

    /**
     * {@link #authorization(String)} with per-call requirements.
     *
     * @param authorizationHeader the header value; may be {@code null}
     * @param overrides           per-call requirements; {@code null} means none
     * @return the outcome; never {@code null}, never throws
     */
    public AuthResult authorization(String authorizationHeader, Requirements overrides) {
        return authenticate(AuthHeaders.extractBearer(authorizationHeader).orElse(null), overrides);
    }

    /**
     * Verifies a bare token without blocking the calling thread: for event loops (WebFlux, Netty,
     * Vert.x). The result is the one {@link #authenticate(String)} gives for the same token and state.
     *
     * <p>The stage is <b>already complete</b> when everything needed is in memory: a held key set and a
     * store that answers at once (the in-memory store, or any store whose
     * {@link ai.caracal.revocation.RevocationStore#checkAsync checkAsync} completes immediately).
     * Otherwise it completes when the key set fetch in flight (shared with blocking callers, with the
     * same deadline, cooldown and failure back-off) and the store's asynchronous check have answered,
     * on the thread that completed them (a {@code caracal-jwks-*} thread, or the Redis client's I/O
     * thread): continue with non-blocking work only, or hop to your own executor.
     *
     * @param token the compact JWS; {@code null} or {@code ""} gives {@code missing_token}
     * @return the outcome; never {@code null}, never completes exceptionally
     */
    public CompletionStage<AuthResult> authenticateAsync(String token) {
        return verifyAsync(token, options.demands());
    }

    /**
     * {@link #authenticateAsync(String)} with per-call requirements.
     *
     * @param token     the compact JWS
     * @param overrides per-call requirements; {@code null} means none
     * @return the outcome; never {@code null}, never completes exceptionally
     */
    public CompletionStage<AuthResult> authenticateAsync(String token, Requirements overrides) {
        return verifyAsync(token, options.demands().with(overrides));
    }

    /**
     * {@link #authorization(String)} without blocking the calling thread; see
     * {@link #authenticateAsync(String)}.
     *
     * @param authorizationHeader the header value; may be {@code null}
     * @return the outcome; never {@code null}, never completes exceptionally
     */
    public CompletionStage<AuthResult> authorizationAsync(String authorizationHeader) {
        return authenticateAsync(AuthHeaders.extractBearer(authorizationHeader).orElse(null));
    }

    /**
     * {@link #authorizationAsync(String)} with per-call requirements.
     *
     * @param authorizationHeader the header value; may be {@code null}
     * @param overrides           per-call requirements; {@code null} means none
     * @return the outcome; never {@code null}, never completes exceptionally
     */
    public CompletionStage<AuthResult> authorizationAsync(String authorizationHeader, Requirements overrides) {
        return authenticateAsync(AuthHeaders.extractBearer(authorizationHeader).orElse(null), overrides);
    }

    /**
     * Derives a verifier whose requirements are these overrides merged onto this verifier's defaults
     * (see {@link Requirements}). This verifier is unchanged. Build derived verifiers once, not per
     * request.
     *
     * @param overrides the requirements to merge; {@code null} means none
     * @return a new verifier sharing this one's key cache and verified-token cache
     */
    public MandateVerifier require(Requirements overrides) {
        return new MandateVerifier(options.withDemands(options.demands().with(overrides)), keys, tokenCache);
    }

    /**
     * Fetches the configured issuer and zone's key set now, through the cache and regardless of the
     * refetch cooldown and the failure back-off, then waits until the keys' precomputed ES256 tables are
     * built (at most 10 s; meanwhile the keys verify through the plain provider). Never called
     * implicitly; connectors offer it as a start-up option.
     *
     * @throws JwksUnavailableException when the key set cannot be fetched or holds no usable key
     */
    public void warmup() {
        keys.refreshBlocking();
    }

    /**
     * {@link #warmup()} without blocking: the stage fails with {@link JwksUnavailableException} when the
     * key set cannot be fetched.
     *
     * @return completes when a usable key set is held and its tables are built (or after at most 10 s)
     */
    public CompletionStage<Void> warmupAsync() {
        return keys.refresh();
    }

    /**
     * @return how many times a {@link VerificationListener} threw in this process (each logged at WARN at
     *         most once a minute; no result was changed)
     */
    public static long listenerFailures() {
        return ListenerFailures.count();
    }

    /** @return the validated configuration, with the merged requirements of this verifier */
    public VerifierOptions options() {
        return options;
    }

    // ---- the two paths share every step but the two waits: the key set and the store --------------

    private AuthResult verify(String token, Demands demands) {
        if (blockingThroughAsync) {
            return verifyAsync(token, demands).toCompletableFuture().join();
        }
        long start = listeners.length == 0 ? 0L : System.nanoTime();
        if (tracing == Tracing.NONE) {
            return finish(verifyBlocking(token, demands, Tracing.Span.NONE), start);
        }
        Tracing.Span span = tracing.verification(zoneId);
        AuthResult result;
        try (Tracing.Scope scope = span.open()) {
            result = verifyBlocking(token, demands, span);
        }
        stopSpan(span, result);
        return finish(result, start);
    }

    private AuthResult verifyBlocking(String token, Demands demands, Tracing.Span span) {
        if (token == null || token.isEmpty()) {
            return rejected(MISSING_TOKEN, "no-token");
        }
        try {
            long now = Math.floorDiv(options.clock().millis(), 1000L);
            Candidate candidate = candidate(token, now);
            Claims claims = verifiedClaims(token, candidate, keys.lookupBlocking(candidate.kid(), tracing), now);
            AuthResult early = checkClaims(claims, demands, now);
            if (early != null) {
                return early;
            }
            RevocationCheck revocation;
            Tracing.Span check = tracing.revocationCheck(span, claims.zoneId());
            try (Tracing.Scope scope = check.open()) {
                revocation = options.revocations().check(claims.anchors(), claims.zoneId());
            } catch (RuntimeException e) {
                check.stop("error", null, null);
                return storeFailed(e);
            }
            check.stop(storeOutcome(claims, revocation), null, null);
            return afterRevocation(claims, revocation);
        } catch (InvalidMandate e) {
            return rejectedAs(e);
        } catch (RuntimeException e) {
            return unexpected(e);
        }
    }

    private CompletableFuture<AuthResult> verifyAsync(String token, Demands demands) {
        long start = listeners.length == 0 ? 0L : System.nanoTime();
        CompletableFuture<AuthResult> result;
        if (tracing == Tracing.NONE) {
            result = verifyAsyncUntimed(token, demands, Tracing.Span.NONE);
        } else {
            Tracing.Span span = tracing.verification(zoneId);
            try (Tracing.Scope scope = span.open()) {
                result = verifyAsyncUntimed(token, demands, span);
            }
            if (result.isDone()) {
                stopSpan(span, result.join());
            } else {
                result = result.thenApply(done -> {
                    stopSpan(span, done);
                    return done;
                });
            }
        }
        if (listeners.length == 0) {
            return result;
        }
        if (result.isDone()) {
            finish(result.join(), start);
            return result;
        }
        return result.thenApply(done -> finish(done, start));
    }

    private CompletableFuture<AuthResult> verifyAsyncUntimed(String token, Demands demands, Tracing.Span span) {
        if (token == null || token.isEmpty()) {
            rejected(MISSING_TOKEN, "no-token");
            return MISSING_TOKEN_NOW;
        }
        try {
            long now = Math.floorDiv(options.clock().millis(), 1000L);
            Candidate candidate = candidate(token, now);
            CompletableFuture<KeyLookup> lookup = keys.lookup(candidate.kid(), tracing);
            if (lookup.isDone()) {
                return afterKey(token, candidate, lookup.join(), demands, now, span);
            }
            return lookup.thenCompose(key -> afterKey(token, candidate, key, demands, now, span));
        } catch (InvalidMandate e) {
            return CompletableFuture.completedFuture(rejectedAs(e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unexpected(e));
        }
    }

    private CompletableFuture<AuthResult> afterKey(String token, Candidate candidate, KeyLookup key, Demands demands,
                                                   long now, Tracing.Span span) {
        try {
            Claims claims = verifiedClaims(token, candidate, key, now);
            AuthResult early = checkClaims(claims, demands, now);
            if (early != null) {
                return CompletableFuture.completedFuture(early);
            }
            CompletableFuture<RevocationCheck> revocation;
            Tracing.Span check = tracing.revocationCheck(span, claims.zoneId());
            try (Tracing.Scope scope = check.open()) {
                revocation = options.revocations().checkAsync(claims.anchors(), claims.zoneId()).toCompletableFuture();
            } catch (RuntimeException e) {
                check.stop("error", null, null);
                return CompletableFuture.completedFuture(storeFailed(e));
            }
            if (revocation.isDone() && !revocation.isCompletedExceptionally()) {
                check.stop(storeOutcome(claims, revocation.join()), null, null);
                return CompletableFuture.completedFuture(afterRevocation(claims, revocation.join()));
            }
            return revocation.handle((answer, failure) -> {
                check.stop(failure != null ? "error" : storeOutcome(claims, answer), null, null);
                try {
                    return failure != null ? storeFailed(unwrap(failure)) : afterRevocation(claims, answer);
                } catch (RuntimeException e) {
                    return unexpected(e);
                }
            });
        } catch (InvalidMandate e) {
            return CompletableFuture.completedFuture(rejectedAs(e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unexpected(e));
        }
    }

    /** Step 1 (length), then a verified-token cache hit, or steps 1 and 2 (structure and header). */
    private Candidate candidate(String token, long now) throws InvalidMandate {
        if (token.length() > CompactJws.MAX_LENGTH) {
            throw new InvalidMandate("too-long");
        }
        VerifiedTokenCache.Entry hit = tokenCache == null ? null : tokenCache.get(token, now);
        return hit != null ? hit : CompactJws.parse(token);
    }

    /** Step 3's answer applied, then steps 4 and 5 and the claim type rules (or the cache hit's claims). */
    private Claims verifiedClaims(String token, Candidate candidate, KeyLookup lookup, long now) throws InvalidMandate {
        if (!(lookup instanceof VerificationKey key)) {
            throw lookup == KeyLookup.Missing.UNKNOWN_KID
                    ? new InvalidMandate("kid-unknown", Cause.UNKNOWN_KID)
                    : new InvalidMandate("jwks-unavailable", Cause.KEYS_UNAVAILABLE);
        }
        if (candidate instanceof VerifiedTokenCache.Entry hit) {
            if (key.sameMaterial(hit.key())) {
                return hit.claims();
            }
            tokenCache.remove(token);
            return verifiedClaims(token, CompactJws.parse(token), lookup, now);
        }
        CompactJws jws = (CompactJws) candidate;
        if (!key.verify(jws.bytes(), jws.signingInputLength(), jws.signature())) {
            throw new InvalidMandate("signature", Cause.BAD_SIGNATURE);
        }
        Claims claims = ClaimsParser.parse(StrictJson.parseObject(jws.payload(), "payload"));
        if (tokenCache != null) {
            tokenCache.put(token, claims, key, now);
        }
        return claims;
    }

    /** Steps 6–11 and 14–22: everything before the store; {@code null} when all pass. */
    private AuthResult checkClaims(Claims claims, Demands demands, long now) {
        if (!claims.issuer().equals(options.issuer())) {
            issuerSpelling.mismatched();
            return rejected(INVALID_BY_CAUSE.get(Cause.ISSUER), ClaimNames.ISS);
        }
        if (!claims.audience().contains(options.audience())) {
            return rejected(INVALID_BY_CAUSE.get(Cause.AUDIENCE), ClaimNames.AUD);
        }
        if (claims.expiresAtEpochSecond() <= now) {
            return rejected(INVALID_BY_CAUSE.get(Cause.EXPIRED), ClaimNames.EXP);
        }
        BigDecimal notBefore = claims.notBeforeSeconds();
        if (notBefore != null && notBefore.compareTo(BigDecimal.valueOf(now + LEEWAY_SECONDS)) > 0) {
            return rejected(INVALID_BY_CAUSE.get(Cause.NOT_YET_VALID), ClaimNames.NBF);
        }
        if (claims.issuedAtEpochSecond() > now + LEEWAY_SECONDS) {
            return rejected(INVALID_BY_CAUSE.get(Cause.NOT_YET_VALID), ClaimNames.IAT);
        }
        if (!demands.useMatches(claims)) {
            return rejected(INVALID_BY_CAUSE.get(Cause.USE), ClaimNames.USE);
        }
        String zone = claims.zoneId();
        if (zone == null || (zoneId != null && !zoneId.equals(zone))) {
            return rejected(INVALID_ZONE, "zone");
        }
        AuthResult unmet = demands.firstUnmet(claims);
        return unmet == null ? null : rejected(unmet, "requirements");
    }

    /** Steps 23 and 24, then the {@code onVerified} listeners. */
    private AuthResult afterRevocation(Claims claims, RevocationCheck revocation) {
        if (revocation == null) {
            RuntimeException error = new RevocationStoreException(options.revocations().getClass().getSimpleName()
                    + " answered no revocation check");
            warnStoreFailure(error);
            notifyStoreFailure(error);
            return rejected(REVOCATION_UNAVAILABLE, "revocation-store-null");
        }
        if (revocation.unavailable()) {
            storeUnavailable();
            return rejected(STORE_FAILED_CLOSED, "revocation-store-failed-closed");
        }
        if (revocation.revoked()) {
            return rejected(SESSION_REVOKED, "revoked");
        }
        long epoch = claims.delegationGraphEpochOrMinusOne();
        if (epoch >= 0 && revocation.currentEpoch() > epoch) {
            return rejected(DELEGATION_STALE, "epoch");
        }
        for (Consumer<Claims> listener : onVerified) {
            try {
                listener.accept(claims);
            } catch (RuntimeException e) {
                log.warn("An onVerified listener threw; the verification result is unchanged", e);
            }
        }
        return AuthResult.ok(claims);
    }

    /** The store's answer for the span: {@code live}, {@code revoked}, {@code stale_epoch} or {@code unavailable}. */
    private static String storeOutcome(Claims claims, RevocationCheck revocation) {
        if (revocation == null || revocation.unavailable()) {
            return "unavailable";
        }
        if (revocation.revoked()) {
            return "revoked";
        }
        long epoch = claims.delegationGraphEpochOrMinusOne();
        return epoch >= 0 && revocation.currentEpoch() > epoch ? "stale_epoch" : "live";
    }

    /**
     * Ends a verification span. The zone is the configured one, else the accepted mandate's (signed, so
     * bounded by the issuer's zones), else {@code none}: never a value from a rejected token.
     */
    private void stopSpan(Tracing.Span span, AuthResult result) {
        String zone = zoneId != null ? zoneId : result.ok() ? result.principal().zoneId() : null;
        span.stop(result.ok() ? "ok" : result.error().code().wire(), result.cause().wire(), zone);
    }

    /** The store answered that it could not read its state (it failed closed): an outage, not a revocation. */
    private void storeUnavailable() {
        warnStoreFailure(null);
        if (listeners.length == 0) {
            return;
        }
        notifyStoreFailure(new RevocationStoreException(options.revocations().getClass().getSimpleName()
                + " could not read its state and failed closed"));
    }

    private AuthResult storeFailed(Throwable e) {
        RuntimeException error = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        warnStoreFailure(error);
        notifyStoreFailure(error);
        return rejected(REVOCATION_UNAVAILABLE, "revocation-store-error");
    }

    private void notifyStoreFailure(RuntimeException error) {
        for (VerificationListener listener : listeners) {
            try {
                listener.revocationCheckFailed(error);
            } catch (RuntimeException ignored) {
                ListenerFailures.record(ignored);
            }
        }
    }

    private AuthResult finish(AuthResult result, long start) {
        if (listeners.length == 0) {
            return result;
        }
        long elapsed = System.nanoTime() - start;
        for (VerificationListener listener : listeners) {
            try {
                listener.verified(result, elapsed);
            } catch (RuntimeException e) {
                ListenerFailures.record(e);
            }
        }
        return result;
    }

    private static AuthResult rejectedAs(InvalidMandate e) {
        return rejected(INVALID_BY_CAUSE.get(e.rejectionCause()), e.reason());
    }

    private static AuthResult unexpected(RuntimeException e) {
        // A bug or a library surprise on hostile input: still a rejection, never an escape.
        if (unexpectedWarning.admit()) {
            log.warn("Mandate verification failed unexpectedly; rejecting it as invalid_token (cause internal; {}); "
                    + "further such failures are logged at most every 10 s", e.getClass().getName());
        }
        return INVALID_TOKEN;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static AuthResult rejected(AuthResult result, String reason) {
        if (log.isDebugEnabled()) {
            log.debug("Mandate rejected: {} (cause {}, {})", result.error().code().wire(), result.cause().wire(), reason);
        }
        return result;
    }

    private static Map<Cause, AuthResult> invalidByCause() {
        Map<Cause, AuthResult> results = new EnumMap<>(Cause.class);
        for (Cause cause : Cause.values()) {
            if (cause != Cause.NONE) {
                results.put(cause, AuthResult.failure(AuthError.of(ErrorCode.INVALID_TOKEN), cause));
            }
        }
        return results;
    }

    /**
     * One WARN per 10 s for a store outage: what failed (the store, and why when it threw) and how
     * mandates are answered meanwhile.
     *
     * @param e what the store threw; {@code null} when it failed closed
     */
    private void warnStoreFailure(RuntimeException e) {
        if (storeWarning.admit()) {
            String store = options.revocations().getClass().getName();
            if (e == null) {
                log.warn("Revocation store {} could not answer and failed closed; rejecting mandates as session_revoked "
                        + "(cause store_unavailable) until it answers", store);
            } else {
                log.warn("Revocation store {} failed; rejecting mandates as invalid_token (cause store_unavailable) "
                        + "until it answers ({}: {})", store, e.getClass().getName(), e.getMessage());
            }
        }
    }

    /**
     * Builder for {@link MandateVerifier}; see the option methods for defaults. Not thread-safe; the
     * verifier it builds is.
     */
    public static final class Builder extends VerifierBuilder<Builder> {

        private Builder() {
        }

        /**
         * @return a new verifier
         * @throws IllegalArgumentException when the issuer or audience is missing or invalid, or options
         *                                  conflict; the message says what to set
         * @throws NullPointerException     when no revocation store is set
         */
        public MandateVerifier build() {
            return create(options());
        }
    }
}
