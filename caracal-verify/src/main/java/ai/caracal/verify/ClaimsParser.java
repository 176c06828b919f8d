package ai.caracal.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a verified payload into {@link Claims}, enforcing every type and presence rule of the claim
 * table (verification.md §4, check order steps 12 and 13). Rules that depend on the verifier's
 * configuration (issuer, audience, time, use, zone) are checked later, by the verifier, so a parsed
 * {@code Claims} can be cached and re-checked against any configuration.
 */
final class ClaimsParser {

    /** 2^53 − 1: the largest integer every JSON implementation represents exactly. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private ClaimsParser() {
    }

    static Claims parse(Map<String, Object> payload) throws InvalidMandate {
        Claims.Builder c = new Claims.Builder();
        c.raw = payload;
        c.issuer = requiredString(payload, "iss");
        c.audience = audience(payload.get("aud"));
        c.expiresAt = integral(payload.get("exp"), "exp", MAX_SAFE_INTEGER);
        c.issuedAt = integral(payload.get("iat"), "iat", MAX_SAFE_INTEGER);
        c.notBefore = notBefore(payload.get("nbf"));
        c.use = oneOf(payload, "use", "resource", "session");
        c.jti = requiredString(payload, "jti");
        c.sub = requiredString(payload, "sub");
        c.clientId = requiredString(payload, "client_id");
        c.sid = requiredString(payload, "sid");
        c.rootSid = requiredString(payload, "root_sid");
        c.subType = oneOf(payload, "sub_type", "user", "application");

        c.scope = scope(payload.get("scope"));
        c.targets = nonEmptyStrings(payload.get("target"), "target");
        c.agentSessionId = optionalString(payload.get("agent_session_id"), "agent_session_id");
        c.delegationEdgeId = optionalString(payload.get("delegation_edge_id"), "delegation_edge_id");
        c.sourceSessionId = optionalString(payload.get("source_session_id"), "source_session_id");
        c.targetSessionId = optionalString(payload.get("target_session_id"), "target_session_id");
        c.delegationPath = nonEmptyStrings(payload.get("delegation_path"), "delegation_path");
        c.delegationChain = chain(payload.get("delegation_chain"));
        Object hops = payload.get("hop_count");
        c.hopCount = hops == null ? 0 : (int) integral(hops, "hop_count", Integer.MAX_VALUE);
        Object epoch = payload.get("delegation_graph_epoch");
        c.delegationGraphEpoch = epoch == null ? -1 : integral(epoch, "delegation_graph_epoch", MAX_SAFE_INTEGER);

        // zone_id problems are invalid_zone (step 14), not invalid_token: keep only a usable value.
        Object zone = payload.get("zone_id");
        c.zoneId = zone instanceof String && !((String) zone).isEmpty() ? (String) zone : null;
        return c.build();
    }

    private static String requiredString(Map<String, Object> payload, String name) throws InvalidMandate {
        Object value = payload.get(name);
        if (!(value instanceof String) || ((String) value).isEmpty()) {
            throw new InvalidMandate(name);
        }
        return (String) value;
    }

    private static String oneOf(Map<String, Object> payload, String name, String first, String second) throws InvalidMandate {
        Object value = payload.get(name);
        if (first.equals(value)) {
            return first;
        }
        if (second.equals(value)) {
            return second;
        }
        throw new InvalidMandate(name);
    }

    private static List<String> audience(Object value) throws InvalidMandate {
        if (value instanceof String) {
            return List.of((String) value);
        }
        if (!(value instanceof List) || ((List<?>) value).isEmpty()) {
            throw new InvalidMandate("aud");
        }
        List<String> audiences = new ArrayList<>(((List<?>) value).size());
        for (Object element : (List<?>) value) {
            if (!(element instanceof String)) {
                throw new InvalidMandate("aud");
            }
            audiences.add((String) element);
        }
        return Collections.unmodifiableList(audiences);
    }

    /**
     * An integral JSON number in [0, max]. {@code 300.0} counts as integral; {@code 1.5}, strings and
     * booleans do not.
     */
    private static long integral(Object value, String name, long max) throws InvalidMandate {
        if (value instanceof Long) {
            long n = (Long) value;
            if (n >= 0 && n <= max) {
                return n;
            }
        } else if (value instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) value;
            if (d.signum() >= 0 && d.compareTo(BigDecimal.valueOf(max)) <= 0 && isIntegral(d)) {
                return d.longValueExact();
            }
        }
        throw new InvalidMandate(name);
    }

    private static boolean isIntegral(BigDecimal d) {
        return d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static BigDecimal notBefore(Object value) throws InvalidMandate {
        if (value == null) {
            return null;
        }
        if (value instanceof Long) {
            return BigDecimal.valueOf((Long) value);
        }
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        if (value instanceof BigInteger) {
            return new BigDecimal((BigInteger) value);
        }
        throw new InvalidMandate("nbf");
    }

    private static String scope(Object value) throws InvalidMandate {
        if (value == null) {
            return "";
        }
        if (value instanceof String) {
            return (String) value;
        }
        throw new InvalidMandate("scope");
    }

    /** Absent or null → empty list; otherwise an array whose elements are all non-empty strings. */
    private static List<String> nonEmptyStrings(Object value, String name) throws InvalidMandate {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new InvalidMandate(name);
        }
        List<?> elements = (List<?>) value;
        for (Object element : elements) {
            if (!(element instanceof String) || ((String) element).isEmpty()) {
                throw new InvalidMandate(name);
            }
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) elements;
        return strings;
    }

    /** Absent, null or {@code ""} → {@code null}; a non-string fails. */
    private static String optionalString(Object value, String name) throws InvalidMandate {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String)) {
            throw new InvalidMandate(name);
        }
        return ((String) value).isEmpty() ? null : (String) value;
    }

    private static List<ChainHop> chain(Object value) throws InvalidMandate {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new InvalidMandate("delegation_chain");
        }
        List<?> elements = (List<?>) value;
        List<ChainHop> hops = new ArrayList<>(elements.size());
        for (Object element : elements) {
            if (!(element instanceof Map)) {
                throw new InvalidMandate("delegation_chain");
            }
            Map<?, ?> hop = (Map<?, ?>) element;
            Object applicationId = hop.get("application_id");
            if (!(applicationId instanceof String) || ((String) applicationId).isEmpty()) {
                throw new InvalidMandate("delegation_chain");
            }
            hops.add(new ChainHop((String) applicationId,
                    Optional.ofNullable(optionalString(hop.get("agent_session_id"), "delegation_chain")),
                    Optional.ofNullable(optionalString(hop.get("delegation_edge_id"), "delegation_chain"))));
        }
        return Collections.unmodifiableList(hops);
    }
}
