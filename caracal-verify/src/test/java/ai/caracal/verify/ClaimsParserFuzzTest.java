package ai.caracal.verify;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzz targets for the untrusted-JSON path: {@link StrictJson} and {@link ClaimsParser} on arbitrary
 * payload bytes, and the header rules of {@link CompactJws} on arbitrary header bytes. A rejection is
 * always the checked {@link InvalidMandate}; any other exception is a finding. Accepted input must
 * satisfy the claim table (verification.md §4) and the header rules (§2), re-checked independently here.
 *
 * <p>Regression mode ({@code ./mvnw verify}) replays {@code ClaimsParserFuzzTestInputs/<method>/};
 * see {@code docs/SECURITY.md} for real fuzzing.
 */
class ClaimsParserFuzzTest {

    private static final long MAX_SAFE = (1L << 53) - 1;
    private static final String SIGNATURE = "A".repeat(86);

    @FuzzTest
    void payload(byte[] json) {
        Map<String, Object> payload;
        try {
            payload = StrictJson.parseObject(json, "payload");
        } catch (InvalidMandate rejected) {
            return;
        }
        checkValue(payload, 1);
        Claims claims;
        try {
            claims = ClaimsParser.parse(payload);
        } catch (InvalidMandate rejected) {
            return;
        }
        checkClaims(claims, payload);
    }

    @FuzzTest
    void header(byte[] json) {
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(json) + ".e30." + SIGNATURE;
        CompactJws jws;
        try {
            jws = CompactJws.parse(token);
        } catch (InvalidMandate rejected) {
            return;
        }
        Map<String, Object> header;
        try {
            header = StrictJson.parseObject(json, "header");
        } catch (InvalidMandate e) {
            throw new AssertionError("CompactJws accepted a header that StrictJson rejects", e);
        }
        require("ES256".equals(header.get("alg")), "alg is exactly ES256");
        require(jws.kid().equals(header.get("kid")) && !jws.kid().isEmpty(), "kid is the header's non-empty string kid");
        require(!header.containsKey("crit"), "no crit");
        require(jws.signature().length == 64, "64-byte signature");
        require(new String(jws.payload(), StandardCharsets.UTF_8).equals("{}"), "payload decoded as sent");
    }

    /** Values are only what StrictJson promises, unmodifiable, and nested at most 64 levels. */
    private static void checkValue(Object value, int depth) {
        require(depth <= StrictJson.MAX_DEPTH, "depth within the limit");
        if (value instanceof Map<?, ?> map) {
            requireUnmodifiable(map);
            map.forEach((name, member) -> {
                require(name instanceof String, "member names are strings");
                checkValue(member, depth + 1);
            });
        } else if (value instanceof List<?> list) {
            requireUnmodifiable(list);
            list.forEach(element -> checkValue(element, depth + 1));
        } else {
            require(value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                    || value instanceof BigInteger || value instanceof BigDecimal, "a plain JSON value");
        }
    }

    private static void requireUnmodifiable(Object container) {
        boolean modified;
        try {
            if (container instanceof Map<?, ?> map) {
                map.clear();
            } else {
                ((List<?>) container).clear();
            }
            modified = true;
        } catch (UnsupportedOperationException expected) {
            modified = false;
        }
        require(!modified, "parsed objects and arrays are unmodifiable");
    }

    /** The claim table, checked against the raw payload. */
    private static void checkClaims(Claims c, Map<String, Object> raw) {
        require(c.raw() == raw || c.raw().equals(raw), "raw() is the payload");
        require(c.issuer().equals(raw.get("iss")), "iss");
        Object aud = raw.get("aud");
        require(aud instanceof String ? c.audience().equals(List.of(aud)) : c.audience().equals(aud) && !c.audience().isEmpty(), "aud");
        for (String name : List.of("sub", "jti", "client_id", "sid", "root_sid")) {
            require(raw.get(name) instanceof String s && !s.isEmpty(), name + " is a non-empty string");
        }
        require(c.sub().equals(raw.get("sub")) && c.jti().equals(raw.get("jti")) && c.clientId().equals(raw.get("client_id"))
                && c.sid().equals(raw.get("sid")) && c.rootSid().equals(raw.get("root_sid")), "required strings carried over");
        require(Set.of("resource", "session").contains(c.use()) && c.use().equals(raw.get("use")), "use");
        require(Set.of("user", "application").contains(c.subType()) && c.subType().equals(raw.get("sub_type")), "sub_type");
        require(integral(raw.get("exp"), MAX_SAFE) == c.expiresAt().getEpochSecond(), "exp");
        require(integral(raw.get("iat"), MAX_SAFE) == c.issuedAt().getEpochSecond(), "iat");
        Object nbf = raw.get("nbf");
        Optional<java.time.Instant> notBefore = c.notBefore();
        require(nbf == null ? notBefore.isEmpty() : notBefore.isPresent(), "nbf presence");
        Object scope = raw.get("scope");
        require(c.scope().equals(scope == null ? "" : scope), "scope");
        require(c.scopes().stream().noneMatch(String::isEmpty), "no empty scope token");
        Object hops = raw.get("hop_count");
        require(c.hopCount() == (hops == null ? 0 : integral(hops, Integer.MAX_VALUE)), "hop_count");
        Object epoch = raw.get("delegation_graph_epoch");
        require(epoch == null ? c.delegationGraphEpoch().isEmpty() : c.delegationGraphEpoch().getAsLong() == integral(epoch, MAX_SAFE),
                "delegation_graph_epoch");
        Object zone = raw.get("zone_id");
        require(zone instanceof String z && !z.isEmpty() ? z.equals(c.zoneId()) : c.zoneId() == null, "zone_id kept only when usable");
        c.targets().forEach(target -> require(!target.isEmpty(), "targets non-empty"));
        c.delegationPath().forEach(edge -> require(!edge.isEmpty(), "delegation_path non-empty"));
        c.delegationChain().forEach(hop -> require(!hop.applicationId().isEmpty(), "chain application_id non-empty"));
        List<String> anchors = c.anchors();
        require(!anchors.isEmpty() && anchors.get(0).equals(c.sid()) && new HashSet<>(anchors).size() == anchors.size(), "anchors");
        require(c.toString().contains(c.sub()), "toString");
    }

    /** The §4 number rule, written independently: an integral JSON number in [0, max]. */
    private static long integral(Object value, long max) {
        BigDecimal number;
        if (value instanceof Long l) {
            number = BigDecimal.valueOf(l);
        } else if (value instanceof BigDecimal d) {
            number = d;
        } else {
            throw new AssertionError("an accepted integral claim is a Long or BigDecimal, got " + value);
        }
        require(number.signum() >= 0 && number.compareTo(BigDecimal.valueOf(max)) <= 0, "integral claim within [0, max]");
        require(number.remainder(BigDecimal.ONE).signum() == 0, "integral claim has no fraction");
        return number.longValueExact();
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("invariant broken: " + what);
        }
    }
}
