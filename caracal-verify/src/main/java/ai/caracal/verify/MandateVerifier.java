package ai.caracal.verify;

import ai.caracal.revocation.RevocationCheck;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@link AuthResult} with an {@link ErrorCode}. A call blocks for at most one JWKS fetch (5 s by
 * default) plus one revocation-store round trip. If the key set cannot be fetched, or the store
 * throws, the mandate is rejected (fail closed).
 *
 * <p>Immutable and thread-safe; share one instance. {@link #require(Requirements)} derives verifiers
 * that share the key cache and the verified-token cache.
 */
public final class MandateVerifier {

    private static final Logger log = LoggerFactory.getLogger(MandateVerifier.class);

    static final AuthResult MISSING_TOKEN = AuthResult.failure(AuthError.of(ErrorCode.MISSING_TOKEN));
    static final AuthResult INVALID_TOKEN = AuthResult.failure(AuthError.of(ErrorCode.INVALID_TOKEN));
    private static final AuthResult INVALID_ZONE = AuthResult.failure(AuthError.of(ErrorCode.INVALID_ZONE));
    private static final AuthResult SESSION_REVOKED = AuthResult.failure(AuthError.of(ErrorCode.SESSION_REVOKED));
    private static final AuthResult DELEGATION_STALE = AuthResult.failure(AuthError.of(ErrorCode.DELEGATION_STALE));
    private static final AuthResult REVOCATION_UNAVAILABLE = AuthResult.failure(new AuthError(
            ErrorCode.INVALID_TOKEN, AuthError.REVOCATION_UNAVAILABLE, ErrorCode.INVALID_TOKEN.hint()));

    private static final long LEEWAY_SECONDS = 60;
    private static final long STORE_WARN_INTERVAL_MILLIS = 10_000;
    private static final AtomicLong lastStoreWarning = new AtomicLong();

    private final VerifierOptions options;
    private final String zoneId;
    private final JwksEntry keys;
    private final VerifiedTokenCache tokenCache;
    private final Consumer<Claims>[] onVerified;
    private final VerificationListener[] listeners;
    private final IssuerSpelling issuerSpelling;

    private MandateVerifier(VerifierOptions options, JwksEntry keys, VerifiedTokenCache tokenCache) {
        this.options = options;
        this.zoneId = options.zoneId().orElse(null);
        this.keys = keys;
        this.tokenCache = tokenCache;
        @SuppressWarnings("unchecked")
        Consumer<Claims>[] array = options.onVerified().toArray(new Consumer[0]);
        this.onVerified = array;
        this.listeners = options.listeners().toArray(new VerificationListener[0]);
        this.issuerSpelling = new IssuerSpelling(options.issuer());
    }

    static MandateVerifier create(VerifierOptions options) {
        JwksEntry keys = options.jwksCache().entry(options.jwksUri());
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
     * refetch cooldown. Never called implicitly; connectors offer it as a start-up option.
     *
     * @throws JwksUnavailableException when the key set cannot be fetched or holds no usable key
     */
    public void warmup() {
        keys.refreshNow();
    }

    /** @return the validated configuration, with the merged requirements of this verifier */
    public VerifierOptions options() {
        return options;
    }

    private AuthResult verify(String token, Demands demands) {
        if (listeners.length == 0) {
            return verifyUntimed(token, demands);
        }
        long start = System.nanoTime();
        AuthResult result = verifyUntimed(token, demands);
        long elapsed = System.nanoTime() - start;
        for (VerificationListener listener : listeners) {
            try {
                listener.verified(result, elapsed);
            } catch (RuntimeException e) {
                log.warn("A VerificationListener threw; ignored", e);
            }
        }
        return result;
    }

    private AuthResult verifyUntimed(String token, Demands demands) {
        if (token == null || token.isEmpty()) {
            return rejected(MISSING_TOKEN, "no-token");
        }
        try {
            long now = Math.floorDiv(options.clock().millis(), 1000L);
            return check(verifiedClaims(token, now), demands, now);
        } catch (InvalidMandate e) {
            return rejected(INVALID_TOKEN, e.reason());
        } catch (RuntimeException e) {
            // A bug or a library surprise on hostile input: still a rejection, never an escape.
            log.warn("Mandate verification failed unexpectedly; rejecting it ({})", e.getClass().getName());
            return INVALID_TOKEN;
        }
    }

    /** Steps 1–5 and the claim type rules, or a verified-token cache hit plus step 3. */
    private Claims verifiedClaims(String token, long now) throws InvalidMandate {
        if (token.length() > CompactJws.MAX_LENGTH) {
            throw new InvalidMandate("too-long");
        }
        if (tokenCache != null) {
            VerifiedTokenCache.Entry hit = tokenCache.get(token, now);
            if (hit != null) {
                VerificationKey current = keys.find(hit.key.kid());
                if (current == null) {
                    throw new InvalidMandate(keys.hasUsableKeys() ? "kid-unknown" : "jwks-unavailable");
                }
                if (current.sameMaterial(hit.key)) {
                    return hit.claims;
                }
                tokenCache.remove(token);
            }
        }
        CompactJws jws = CompactJws.parse(token);
        VerificationKey key = keys.find(jws.kid());
        if (key == null) {
            throw new InvalidMandate(keys.hasUsableKeys() ? "kid-unknown" : "jwks-unavailable");
        }
        if (!key.verify(jws.bytes(), jws.signingInputLength(), jws.signature())) {
            throw new InvalidMandate("signature");
        }
        Claims claims = ClaimsParser.parse(StrictJson.parseObject(jws.payload(), "payload"));
        if (tokenCache != null) {
            tokenCache.put(token, claims, key, now);
        }
        return claims;
    }

    /** Steps 6–11 and 14–23. */
    private AuthResult check(Claims claims, Demands demands, long now) {
        String problem = claimProblem(claims, demands, now);
        if (problem != null) {
            if (problem.equals("iss")) {
                issuerSpelling.mismatched();
            }
            return rejected(INVALID_TOKEN, problem);
        }
        String zone = claims.zoneId();
        if (zone == null || (zoneId != null && !zoneId.equals(zone))) {
            return rejected(INVALID_ZONE, "zone");
        }
        AuthResult unmet = demands.firstUnmet(claims);
        if (unmet != null) {
            return rejected(unmet, "requirements");
        }
        RevocationCheck revocation;
        try {
            revocation = options.revocations().check(claims.anchors(), zone);
        } catch (RuntimeException e) {
            warnStoreFailure(e);
            for (VerificationListener listener : listeners) {
                try {
                    listener.revocationCheckFailed(e);
                } catch (RuntimeException ignored) {
                    log.warn("A VerificationListener threw; ignored", ignored);
                }
            }
            return rejected(REVOCATION_UNAVAILABLE, "revocation-store-error");
        }
        if (revocation == null) {
            return rejected(REVOCATION_UNAVAILABLE, "revocation-store-null");
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

    private String claimProblem(Claims claims, Demands demands, long now) {
        if (!claims.issuer().equals(options.issuer())) {
            return "iss";
        }
        if (!claims.audience().contains(options.audience())) {
            return "aud";
        }
        if (claims.expiresAtEpochSecond() <= now) {
            return "exp";
        }
        BigDecimal notBefore = claims.notBeforeSeconds();
        if (notBefore != null && notBefore.compareTo(BigDecimal.valueOf(now + LEEWAY_SECONDS)) > 0) {
            return "nbf";
        }
        if (claims.issuedAtEpochSecond() > now + LEEWAY_SECONDS) {
            return "iat";
        }
        if (!demands.useMatches(claims)) {
            return "use";
        }
        return null;
    }

    private static AuthResult rejected(AuthResult result, String reason) {
        if (log.isDebugEnabled()) {
            log.debug("Mandate rejected: {} ({})", result.error().code().wire(), reason);
        }
        return result;
    }

    private static void warnStoreFailure(RuntimeException e) {
        long now = System.currentTimeMillis();
        long last = lastStoreWarning.get();
        if (now - last >= STORE_WARN_INTERVAL_MILLIS && lastStoreWarning.compareAndSet(last, now)) {
            log.warn("Revocation store failed; rejecting mandates as invalid_token until it answers ({}: {})",
                    e.getClass().getName(), e.getMessage());
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
