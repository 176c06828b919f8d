package ai.caracal.devsts;

import ai.caracal.mint.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A minted mandate: the token response of {@code POST /dev/mint} (devtools.md §1.5) as a Java value.
 *
 * <p>{@link #toString()} leaves the token out, so a response can be logged. Immutable and thread-safe.
 *
 * @param accessToken     the compact JWS; treat it as a secret
 * @param expiresIn       the lifetime in seconds ({@code expires_in}), from the TTL; a
 *                        {@code claims_override} of {@code exp} does not change it
 * @param scope           the minted scope, or empty when there is none
 * @param targetResources the minted {@code aud} ({@code target_resources}): the audience for
 *                        {@code resource}, {@code [issuer]} for {@code session}
 * @param sid             the new {@code sid} (as minted, before any override)
 * @param jti             the new {@code jti} (as minted, before any override)
 * @param claims          the final payload, {@code claims_override} applied, in claim order;
 *                        unmodifiable plain JSON values (integers are {@link Long})
 */
public record MintResponse(String accessToken, long expiresIn, Optional<String> scope, List<String> targetResources,
        String sid, String jti, Map<String, Object> claims) {

    /** The {@code token_type}: {@code Bearer}. */
    public static final String TOKEN_TYPE = "Bearer";

    /** The {@code issued_token_type}: {@code urn:ietf:params:oauth:token-type:access_token}. */
    public static final String ISSUED_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    /**
     * Copies the collections into unmodifiable ones.
     *
     * @param accessToken     see the record description
     * @param expiresIn       see the record description
     * @param scope           see the record description
     * @param targetResources see the record description
     * @param sid             see the record description
     * @param jti             see the record description
     * @param claims          see the record description
     * @throws NullPointerException for a {@code null} component
     */
    @SuppressWarnings("unchecked")
    public MintResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(scope, "scope");
        targetResources = List.copyOf(targetResources);
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(jti, "jti");
        claims = (Map<String, Object>) Json.copy(Objects.requireNonNull(claims, "claims"));
    }

    /** @return {@value #TOKEN_TYPE} */
    public String tokenType() {
        return TOKEN_TYPE;
    }

    /** @return {@value #ISSUED_TOKEN_TYPE} */
    public String issuedTokenType() {
        return ISSUED_TOKEN_TYPE;
    }

    /** @return the response without the token */
    @Override
    public String toString() {
        return "MintResponse[sid=" + sid + ", jti=" + jti + ", expiresIn=" + expiresIn + ", scope="
                + scope.orElse("") + ", targetResources=" + targetResources + "]";
    }
}
