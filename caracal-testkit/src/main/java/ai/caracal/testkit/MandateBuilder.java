package ai.caracal.testkit;

import ai.caracal.mint.Es256Key;
import ai.caracal.mint.Json;
import ai.caracal.mint.Jws;
import ai.caracal.mint.MandateClaims;
import ai.caracal.verify.ChainHop;
import ai.caracal.verify.ClaimNames;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

// Why this file is long: it is the test kit's one fluent builder, with a documented setter per mandate
// claim and a documented switch per deliberate breakage (headers, raw segments, signature variants), all
// returning this builder so that one call chain builds any valid or broken mandate. Splitting it would
// break the chain; claim encoding and signing already live in caracal-mint (MandateClaims, Es256Key).

/**
 * Builds one mandate, valid by default and breakable on purpose. Start from
 * {@link TestIssuer#mint()}, which pre-sets the baseline: {@code use=resource}, {@code sub=user-1},
 * {@code client_id=app-1}, {@code sub_type=application}, {@code aud=[audience]},
 * {@code zone_id=zone}, {@code scope=read}, {@code iat=now}, {@code exp=now+600 s}, fresh
 * {@code jti} and {@code sid}, {@code root_sid=sid} (unless set), signed ES256 with the zone's current
 * key under header {@code {alg: ES256, typ: JWT, kid}}. Claims and signatures go through the same path
 * as the dev STS's ({@code caracal-mint}: {@link MandateClaims}, {@link Es256Key}), so the payload lists
 * the claims in {@link MandateClaims#ORDER}, then any other claim in the order it was first set.
 *
 * <p>Typed setters write the claim; {@link #claim(String, Object)} writes any JSON value (maps, lists,
 * strings, numbers, booleans, {@code null}); {@link #rawPayload(String)} and {@link #rawHeader(String)}
 * are used verbatim, so duplicate members and invalid JSON are possible; signing variants and
 * {@link #forgeSignature(SignatureForge)} break the signature. Not thread-safe.
 */
public final class MandateBuilder {

    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private enum Signing { ES256, FOREIGN_KEY, UNSIGNED, HS256_WITH_JWK_X, DER, HIGH_S }

    private final TestIssuer issuer;
    private final MandateClaims claims = new MandateClaims();
    private final Map<String, Object> header = Jws.header(null);
    private byte[] rawPayload;
    private byte[] rawHeader;
    private String signingZone;
    private boolean kidOverridden;
    private boolean rootSidSet;
    private Signing signing = Signing.ES256;
    private boolean tamperSignature;
    private boolean tamperPayload;
    private SignatureForge forge;
    private Segment respelled;

    /** A segment of a compact JWS, for {@link #respell(Segment)}. */
    public enum Segment { HEADER, PAYLOAD, SIGNATURE }

    MandateBuilder(TestIssuer issuer, String zone, String audience, Instant now) {
        this.issuer = issuer;
        this.signingZone = zone;
        String sid = UUID.randomUUID().toString();
        claims.issuer(issuer.url()).subject("user-1").audience(List.of(audience))
                .issuedAt(now.getEpochSecond()).expiresAt(now.getEpochSecond() + 600)
                .jti(UUID.randomUUID().toString()).clientId("app-1").subType("application").use("resource")
                .zoneId(zone).sid(sid).rootSid(sid).scope("read");
    }

    // ---- typed claims -------------------------------------------------------------------------

    /**
     * @param sub the subject
     * @return this builder
     */
    public MandateBuilder sub(String sub) {
        claims.subject(sub);
        return this;
    }

    /**
     * @param clientId the acting application
     * @return this builder
     */
    public MandateBuilder clientId(String clientId) {
        claims.clientId(clientId);
        return this;
    }

    /**
     * @param subType {@code user} or {@code application} (anything, for negative tests)
     * @return this builder
     */
    public MandateBuilder subType(String subType) {
        claims.subType(subType);
        return this;
    }

    /**
     * @param use {@code resource}, {@code session} (anything, for negative tests)
     * @return this builder
     */
    public MandateBuilder use(String use) {
        claims.use(use);
        return this;
    }

    /**
     * @param audiences the {@code aud} array
     * @return this builder
     */
    public MandateBuilder audience(String... audiences) {
        claims.audience(List.of(audiences));
        return this;
    }

    /**
     * @param scopes joined with single spaces into {@code scope}; none removes the claim
     * @return this builder
     */
    public MandateBuilder scope(String... scopes) {
        if (scopes.length == 0) {
            claims.remove(ClaimNames.SCOPE);
        } else {
            claims.scope(String.join(" ", scopes));
        }
        return this;
    }

    /**
     * @param targets the {@code target} array
     * @return this builder
     */
    public MandateBuilder target(String... targets) {
        claims.target(List.of(targets));
        return this;
    }

    /**
     * @param zoneId the {@code zone_id} claim (the signing key stays the issuer zone's)
     * @return this builder
     */
    public MandateBuilder zoneId(String zoneId) {
        claims.zoneId(zoneId);
        return this;
    }

    /**
     * @param sid the authority record anchor; also {@code root_sid} unless that is set
     * @return this builder
     */
    public MandateBuilder sid(String sid) {
        claims.sid(sid);
        if (!rootSidSet) {
            claims.rootSid(sid);
        }
        return this;
    }

    /**
     * @param rootSid the root authority record anchor
     * @return this builder
     */
    public MandateBuilder rootSid(String rootSid) {
        rootSidSet = true;
        claims.rootSid(rootSid);
        return this;
    }

    /**
     * @param jti the mandate ID
     * @return this builder
     */
    public MandateBuilder jti(String jti) {
        claims.jti(jti);
        return this;
    }

    /**
     * @return this builder with a fresh random {@code agent_session_id}
     */
    public MandateBuilder agentSession() {
        return agentSession(UUID.randomUUID().toString());
    }

    /**
     * @param id the {@code agent_session_id}
     * @return this builder
     */
    public MandateBuilder agentSession(String id) {
        claims.agentSessionId(id);
        return this;
    }

    /**
     * @return this builder with a fresh random {@code delegation_edge_id}
     */
    public MandateBuilder delegationEdge() {
        return delegationEdge(UUID.randomUUID().toString());
    }

    /**
     * @param id the {@code delegation_edge_id}
     * @return this builder
     */
    public MandateBuilder delegationEdge(String id) {
        claims.delegationEdgeId(id);
        return this;
    }

    /**
     * @param id the {@code source_session_id}
     * @return this builder
     */
    public MandateBuilder sourceSession(String id) {
        claims.sourceSessionId(id);
        return this;
    }

    /**
     * @param id the {@code target_session_id}
     * @return this builder
     */
    public MandateBuilder targetSession(String id) {
        claims.targetSessionId(id);
        return this;
    }

    /**
     * @param edgeIds the {@code delegation_path} array
     * @return this builder
     */
    public MandateBuilder delegationPath(String... edgeIds) {
        claims.delegationPath(List.of(edgeIds));
        return this;
    }

    /**
     * @param applicationIds the {@code delegation_chain}, one hop per application
     * @return this builder
     */
    public MandateBuilder chain(String... applicationIds) {
        return chain(Arrays.stream(applicationIds).map(ChainHop::of).toArray(ChainHop[]::new));
    }

    /**
     * @param hops the {@code delegation_chain}
     * @return this builder
     */
    public MandateBuilder chain(ChainHop... hops) {
        List<Map<String, Object>> chain = new ArrayList<>();
        for (ChainHop hop : hops) {
            Map<String, Object> element = new LinkedHashMap<>();
            element.put(ClaimNames.APPLICATION_ID, hop.applicationId());
            hop.agentSessionId().ifPresent(id -> element.put(ClaimNames.AGENT_SESSION_ID, id));
            hop.delegationEdgeId().ifPresent(id -> element.put(ClaimNames.DELEGATION_EDGE_ID, id));
            chain.add(element);
        }
        claims.delegationChain(chain);
        return this;
    }

    /**
     * @param hops the {@code hop_count}
     * @return this builder
     */
    public MandateBuilder hopCount(int hops) {
        claims.hopCount(hops);
        return this;
    }

    /**
     * @param epoch the {@code delegation_graph_epoch}
     * @return this builder
     */
    public MandateBuilder graphEpoch(long epoch) {
        claims.delegationGraphEpoch(epoch);
        return this;
    }

    /**
     * @param issuedAt the {@code iat} (whole seconds)
     * @return this builder
     */
    public MandateBuilder issuedAt(Instant issuedAt) {
        claims.issuedAt(issuedAt.getEpochSecond());
        return this;
    }

    /**
     * @param lifetime {@code exp} becomes {@code iat} plus this
     * @return this builder
     */
    public MandateBuilder expiresIn(Duration lifetime) {
        Object iat = claims.get(ClaimNames.IAT);
        long base = iat instanceof Number issuedAt ? issuedAt.longValue() : issuer.clock().instant().getEpochSecond();
        claims.expiresAt(base + lifetime.getSeconds());
        return this;
    }

    /**
     * @param expiresAt the {@code exp} (whole seconds)
     * @return this builder
     */
    public MandateBuilder expiresAt(Instant expiresAt) {
        claims.expiresAt(expiresAt.getEpochSecond());
        return this;
    }

    /**
     * @param notBefore the {@code nbf} (whole seconds)
     * @return this builder
     */
    public MandateBuilder notBefore(Instant notBefore) {
        claims.notBefore(notBefore.getEpochSecond());
        return this;
    }

    // ---- raw ----------------------------------------------------------------------------------

    /**
     * @param name      a claim name
     * @param jsonValue any JSON value: map, list, string, number, boolean or {@code null}
     * @return this builder
     */
    public MandateBuilder claim(String name, Object jsonValue) {
        claims.put(Objects.requireNonNull(name, "name"), jsonValue);
        return this;
    }

    /**
     * @param name a claim to leave out
     * @return this builder
     */
    public MandateBuilder removeClaim(String name) {
        claims.remove(name);
        return this;
    }

    /**
     * @param json the payload, used verbatim (duplicates and invalid JSON possible)
     * @return this builder
     */
    public MandateBuilder rawPayload(String json) {
        this.rawPayload = Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * @param bytes the payload bytes, used verbatim (compressed, not UTF-8, not JSON: anything)
     * @return this builder
     */
    public MandateBuilder rawPayload(byte[] bytes) {
        this.rawPayload = Objects.requireNonNull(bytes, "bytes").clone();
        return this;
    }

    /**
     * @param name      a header member
     * @param jsonValue any JSON value
     * @return this builder
     */
    public MandateBuilder header(String name, Object jsonValue) {
        if ("kid".equals(name)) {
            kidOverridden = true;
        }
        header.put(Objects.requireNonNull(name, "name"), jsonValue);
        return this;
    }

    /**
     * @param name a header member to leave out
     * @return this builder
     */
    public MandateBuilder removeHeader(String name) {
        if ("kid".equals(name)) {
            kidOverridden = true;
        }
        header.remove(name);
        return this;
    }

    /**
     * @param json the header, used verbatim
     * @return this builder
     */
    public MandateBuilder rawHeader(String json) {
        this.rawHeader = Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * @param bytes the header bytes, used verbatim
     * @return this builder
     */
    public MandateBuilder rawHeader(byte[] bytes) {
        this.rawHeader = Objects.requireNonNull(bytes, "bytes").clone();
        return this;
    }

    // ---- signing variants ---------------------------------------------------------------------

    /**
     * @param kid the header {@code kid} (the signing key stays the zone's current key)
     * @return this builder
     */
    public MandateBuilder kid(String kid) {
        return header("kid", kid);
    }

    /**
     * @param zone sign with this zone's current key and {@code kid}
     * @return this builder
     */
    public MandateBuilder zoneKey(String zone) {
        this.signingZone = Objects.requireNonNull(zone, "zone");
        return this;
    }

    /**
     * @return this builder, signing with a P-256 key that is not published, under the same kid
     */
    public MandateBuilder foreignKey() {
        this.signing = Signing.FOREIGN_KEY;
        return this;
    }

    /**
     * @param alg the header {@code alg} (the signature stays ES256 unless another variant says otherwise)
     * @return this builder
     */
    public MandateBuilder alg(String alg) {
        return header("alg", alg);
    }

    /**
     * @return this builder, producing {@code alg: none} and an empty signature
     */
    public MandateBuilder unsigned() {
        this.signing = Signing.UNSIGNED;
        return header("alg", "none");
    }

    /**
     * @return this builder, producing {@code alg: HS256} keyed with the published key's {@code x} bytes
     */
    public MandateBuilder hs256WithJwkX() {
        this.signing = Signing.HS256_WITH_JWK_X;
        return header("alg", "HS256");
    }

    /**
     * @return this builder, encoding the ES256 signature as DER instead of R‖S
     */
    public MandateBuilder derSignature() {
        this.signing = Signing.DER;
        return this;
    }

    /**
     * @return this builder, using the high-S form {@code s' = n − s} of a valid signature
     */
    public MandateBuilder highS() {
        this.signing = Signing.HIGH_S;
        return this;
    }

    /**
     * @return this builder, changing one byte of the signature after signing
     */
    public MandateBuilder tamperSignature() {
        this.tamperSignature = true;
        return this;
    }

    /**
     * @return this builder, replacing the payload after signing with one whose {@code sub} differs
     */
    public MandateBuilder tamperPayload() {
        this.tamperPayload = true;
        return this;
    }

    /**
     * Replaces the signature with whatever {@code forge} returns, for signatures no variant above
     * produces (out-of-range {@code r}/{@code s}, truncations, other algorithms, other keys). Applied
     * after the signing variant, before {@link #tamperSignature()}.
     *
     * @param forge computes the sent signature bytes
     * @return this builder
     */
    public MandateBuilder forgeSignature(SignatureForge forge) {
        this.forge = Objects.requireNonNull(forge, "forge");
        return this;
    }

    /**
     * Sends {@code segment} in a non-canonical base64url spelling: the lowest unused bit of its last
     * character is set, so it decodes to the same bytes as the canonical text (verification.md V126).
     * For the header and the payload the signature covers the respelled text, so only the spelling is
     * wrong; when the JSON's length leaves no unused bits, one trailing space is added to it first.
     *
     * @param segment the segment to respell
     * @return this builder
     */
    public MandateBuilder respell(Segment segment) {
        this.respelled = Objects.requireNonNull(segment, "segment");
        return this;
    }

    /** Computes the signature bytes a {@link MandateBuilder} sends instead of its own. */
    @FunctionalInterface
    public interface SignatureForge {

        /**
         * @param signingInput   ASCII of {@code header "." payload}, exactly as sent
         * @param validSignature the signature the builder would have sent (for the default variant,
         *                       a valid ES256 R‖S signature by the zone key)
         * @return the signature bytes to send (base64url-encoded by the builder); never {@code null}
         */
        byte[] forge(byte[] signingInput, byte[] validSignature);
    }

    // ---- output -------------------------------------------------------------------------------

    /**
     * @return the payload members about to be signed (a copy)
     */
    public Map<String, Object> claims() {
        return Collections.unmodifiableMap(claims.toMap());
    }

    /**
     * @return the compact JWS
     */
    public String sign() {
        Es256Key key = issuer.currentKey(signingZone);
        if (!kidOverridden) {
            header.put("kid", key.kid());
        }
        byte[] headerJson = rawHeader != null ? rawHeader : utf8(Json.write(header));
        byte[] payloadJson = rawPayload != null ? rawPayload : utf8(claims.toJson());
        String headerPart = respelled == Segment.HEADER ? nonCanonical(headerJson) : encode(headerJson);
        String payloadPart = respelled == Segment.PAYLOAD ? nonCanonical(payloadJson) : encode(payloadJson);
        byte[] input = (headerPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = signature(key, input);
        if (forge != null) {
            signature = Objects.requireNonNull(forge.forge(input.clone(), signature), "forged signature");
        }
        if (tamperSignature && signature.length > 0) {
            signature[signature.length / 2] ^= 0x01;
        }
        if (tamperPayload) {
            Map<String, Object> changed = claims.toMap();
            changed.put(ClaimNames.SUB, "tampered-" + claims.get(ClaimNames.SUB));
            payloadPart = encode(utf8(Json.write(changed)));
        }
        String signaturePart = respelled == Segment.SIGNATURE ? nonCanonical(signature)
                : Jws.base64Url(signature);
        return headerPart + "." + payloadPart + "." + signaturePart;
    }

    private byte[] signature(Es256Key key, byte[] input) {
        switch (signing) {
            case UNSIGNED:
                return new byte[0];
            case FOREIGN_KEY:
                return Es256Key.generate(key.kid()).sign(input);
            case HS256_WITH_JWK_X:
                return hmac(Base64.getUrlDecoder().decode((String) key.publicJwk().get("x")), input);
            case DER:
                return key.signDer(input);
            case HIGH_S:
                return highS(key.sign(input));
            default:
                return key.sign(input);
        }
    }

    private static byte[] highS(byte[] raw) {
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
        byte[] flipped = P256_ORDER.subtract(s).toByteArray();
        byte[] out = Arrays.copyOf(raw, 64);
        Arrays.fill(out, 32, 64, (byte) 0);
        int length = Math.min(flipped.length, 32);
        System.arraycopy(flipped, flipped.length - length, out, 64 - length, length);
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The base64url text of {@code bytes} (JSON gets a trailing space if needed) with one unused bit set. */
    private static String nonCanonical(byte[] bytes) {
        byte[] text = bytes;
        if (text.length % 3 == 0) {
            text = Arrays.copyOf(bytes, bytes.length + 1);
            text[bytes.length] = ' ';
        }
        String canonical = encode(text);
        int last = canonical.length() - 1;
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return canonical.substring(0, last) + alphabet.charAt(alphabet.indexOf(canonical.charAt(last)) | 1);
    }

    private static String encode(byte[] bytes) {
        return Jws.base64Url(bytes);
    }
}
