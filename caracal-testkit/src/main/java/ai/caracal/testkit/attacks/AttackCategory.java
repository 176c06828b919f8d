package ai.caracal.testkit.attacks;

/** The families of hostile input in the {@link AttackCorpus}, each with the rule it probes. */
public enum AttackCategory {

    /** {@code alg} other than exactly {@code ES256}: none, HMAC keyed with public material, other families. */
    ALG_CONFUSION("alg must be exactly the string ES256 (verification.md §2)"),

    /** {@code jku}, {@code x5u}, {@code jwk}, {@code x5c} naming attacker keys: never fetched, never trusted. */
    KEY_INJECTION("keys come only from the configured issuer and zone JWKS (§2, §3.1)"),

    /** {@code kid} values a key store might mishandle: paths, SQL, NUL, unicode, non-strings. */
    KID("kid is a non-empty string looked up exactly in the configured key set (§2, §3.5)"),

    /** Any {@code crit} member. */
    CRIT("crit must be absent, whatever its value (§2)"),

    /** {@code b64: false} and {@code zip: DEF}: the signing input is always the first two segments as sent. */
    HEADER_EXTENSIONS("b64 and zip are ignored; the payload is never decoded differently (§2)"),

    /** {@code cty: JWT} with an inner token as the payload. */
    NESTED_JWT("the payload must itself be a JSON object; nested tokens are never unwrapped (§2)"),

    /** JWS JSON serialization and other non-compact shapes. */
    SERIALIZATION("JWS Compact only: three unpadded base64url segments (§2)"),

    /** The same member name twice, at the top level or nested, literally or through escapes. */
    DUPLICATE_MEMBERS("no duplicate member names anywhere in header or payload (§2)"),

    /** Arrays and objects nested past the parser's depth limit. */
    DEEP_NESTING("header and payload nest at most 64 levels (StrictJson)"),

    /** Huge, fractional, exponent-form, non-standard and string-typed numbers. */
    NUMBERS("integral claims are JSON numbers in [0, 2^53-1] (§4)"),

    /** Unicode look-alikes and near-misses of the issuer, audience and zone. */
    LOOKALIKES("iss, aud and zone_id compare exactly, with no normalisation (§4)"),

    /** ECDSA {@code r}/{@code s} of zero or at least n (CVE-2022-21449), and high-S. */
    SIGNATURE_RANGE("r and s in [1, n-1]; high-S accepted (§2)"),

    /** DER, truncated, extended, swapped and transplanted signatures. */
    SIGNATURE_ENCODING("the signature is raw R||S of exactly 64 bytes over the first two segments (§2)"),

    /** Key sets with invalid points, private material, wrong curves or another issuer's keys. */
    KEY_SET("only usable P-256 verification keys are accepted from the JWKS (§3.4)"),

    /** Expired, not yet valid and far-future tokens. */
    TIME("exp is strict, nbf and iat have 60 s of leeway (§4)"),

    /** {@code use} and {@code sub_type} near-misses. */
    USE_AND_SUB_TYPE("use is resource or session and equals requiredUse; sub_type is user or application (§4)"),

    /** Scope strings that look like the required scope. */
    SCOPE("scopes split on Unicode whitespace and match exactly (§7)"),

    /** {@code Authorization} header values around the bearer scheme. */
    AUTHORIZATION_HEADER("extractBearer: ASCII case-insensitive Bearer, whitespace, strip (§9)");

    private final String rule;

    AttackCategory(String rule) {
        this.rule = rule;
    }

    /** @return the rule this category probes, with its spec section */
    public String rule() {
        return rule;
    }
}
