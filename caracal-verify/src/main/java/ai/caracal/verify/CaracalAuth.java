package ai.caracal.verify;

import java.util.Objects;
import java.util.function.Function;

/**
 * Mandate verification in the FastMCP style: give it a bearer token, get {@link Claims} back, or a
 * {@link CaracalAuthException} carrying the error code, description and hint.
 *
 * <pre>{@code
 * CaracalAuth auth = CaracalAuth.builder()
 *     .issuer(System.getenv("CARACAL_STS_URL")).audience("resource://documents")
 *     .zoneId(System.getenv("CARACAL_ZONE_ID")).requiredScopes("tool:call").requireAgent(true)
 *     .revocations(revocations).build();
 * auth.warmup();
 * try {
 *     Claims claims = auth.verify(token);
 * } catch (CaracalAuthException e) {
 *     return Map.of("error", e.code().wire(), "error_description", e.description(), "error_hint", e.hint());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class CaracalAuth implements Function<String, Claims> {

    private final MandateVerifier verifier;

    private CaracalAuth(MandateVerifier verifier) {
        this.verifier = verifier;
    }

    /** @return a builder with the same options as {@link MandateVerifier#builder()} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param verifier the verifier to delegate to; never {@code null}
     * @return an authenticator over it
     */
    public static CaracalAuth of(MandateVerifier verifier) {
        return new CaracalAuth(Objects.requireNonNull(verifier, "verifier"));
    }

    /**
     * @param token the bare token; {@code null} or {@code ""} fails with {@code missing_token}
     * @return the verified claims
     * @throws CaracalAuthException when the mandate is not accepted
     */
    public Claims verify(String token) {
        return claimsOrThrow(verifier.authenticate(token));
    }

    /**
     * @param token        the bare token
     * @param requirements per-call requirements merged onto the defaults; {@code null} means none
     * @return the verified claims
     * @throws CaracalAuthException when the mandate is not accepted
     */
    public Claims verify(String token, Requirements requirements) {
        return claimsOrThrow(verifier.authenticate(token, requirements));
    }

    /**
     * The same as {@link #verify(String)}.
     *
     * @param token the bare token
     * @return the verified claims
     * @throws CaracalAuthException when the mandate is not accepted
     */
    @Override
    public Claims apply(String token) {
        return verify(token);
    }

    /**
     * Fetches the key set now; see {@link MandateVerifier#warmup()}.
     *
     * @throws JwksUnavailableException when it cannot be fetched
     */
    public void warmup() {
        verifier.warmup();
    }

    /** @return the underlying verifier */
    public MandateVerifier verifier() {
        return verifier;
    }

    private static Claims claimsOrThrow(AuthResult result) {
        if (result.ok()) {
            return result.principal();
        }
        throw new CaracalAuthException(result.error());
    }

    /** Builder for {@link CaracalAuth}; the options of {@link MandateVerifier.Builder}. Not thread-safe. */
    public static final class Builder extends VerifierBuilder<Builder> {

        private Builder() {
        }

        /**
         * @return a new authenticator
         * @throws IllegalArgumentException when the issuer or audience is missing or invalid
         * @throws NullPointerException     when no revocation store is set
         */
        public CaracalAuth build() {
            return new CaracalAuth(MandateVerifier.create(options()));
        }
    }
}
