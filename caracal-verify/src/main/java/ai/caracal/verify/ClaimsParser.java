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
        c.issuer = requiredString(payload, ClaimNames.ISS);
        c.audience = audience(payload.get(ClaimNames.AUD));
        c.expiresAt = integral(payload.get(ClaimNames.EXP), ClaimNames.EXP, MAX_SAFE_INTEGER);
        c.issuedAt = integral(payload.get(ClaimNames.IAT), ClaimNames.IAT, MAX_SAFE_INTEGER);
        c.notBefore = notBefore(payload.get(ClaimNames.NBF));
        c.use = oneOf(payload, ClaimNames.USE, "resource", "session");
        c.jti = requiredString(payload, ClaimNames.JTI);
        c.sub = requiredString(payload, ClaimNames.SUB);
        c.clientId = requiredString(payload, ClaimNames.CLIENT_ID);
        c.sid = requiredString(payload, ClaimNames.SID);
        c.rootSid = requiredString(payload, ClaimNames.ROOT_SID);
        c.subType = oneOf(payload, ClaimNames.SUB_TYPE, "user", "application");

        c.scope = scope(payload.get(ClaimNames.SCOPE));
        c.targets = nonEmptyStrings(payload.get(ClaimNames.TARGET), ClaimNames.TARGET);
        c.agentSessionId = optionalString(payload.get(ClaimNames.AGENT_SESSION_ID), ClaimNames.AGENT_SESSION_ID);
        c.delegationEdgeId = optionalString(payload.get(ClaimNames.DELEGATION_EDGE_ID), ClaimNames.DELEGATION_EDGE_ID);
        c.sourceSessionId = optionalString(payload.get(ClaimNames.SOURCE_SESSION_ID), ClaimNames.SOURCE_SESSION_ID);
        c.targetSessionId = optionalString(payload.get(ClaimNames.TARGET_SESSION_ID), ClaimNames.TARGET_SESSION_ID);
        c.delegationPath = nonEmptyStrings(payload.get(ClaimNames.DELEGATION_PATH), ClaimNames.DELEGATION_PATH);
        c.delegationChain = chain(payload.get(ClaimNames.DELEGATION_CHAIN));
        Object hops = payload.get(ClaimNames.HOP_COUNT);
        c.hopCount = hops == null ? 0 : (int) integral(hops, ClaimNames.HOP_COUNT, Integer.MAX_VALUE);
        Object epoch = payload.get(ClaimNames.DELEGATION_GRAPH_EPOCH);
        c.delegationGraphEpoch = epoch == null ? -1 : integral(epoch, ClaimNames.DELEGATION_GRAPH_EPOCH, MAX_SAFE_INTEGER);

        // zone_id problems are invalid_zone (step 14), not invalid_token: keep only a usable value.
        Object zone = payload.get(ClaimNames.ZONE_ID);
        c.zoneId = zone instanceof String text && !text.isEmpty() ? text : null;
        return c.build();
    }

    private static String requiredString(Map<String, Object> payload, String name) throws InvalidMandate {
        Object value = payload.get(name);
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new InvalidMandate(name);
        }
        return text;
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
        if (value instanceof String single) {
            return List.of(single);
        }
        if (!(value instanceof List<?> elements) || elements.isEmpty()) {
            throw new InvalidMandate(ClaimNames.AUD);
        }
        List<String> audiences = new ArrayList<>(elements.size());
        for (Object element : elements) {
            if (!(element instanceof String audience)) {
                throw new InvalidMandate(ClaimNames.AUD);
            }
            audiences.add(audience);
        }
        return Collections.unmodifiableList(audiences);
    }

    /**
     * An integral JSON number in [0, max]. {@code 300.0} counts as integral; {@code 1.5}, strings and
     * booleans do not.
     */
    private static long integral(Object value, String name, long max) throws InvalidMandate {
        if (value instanceof Long n) {
            if (n >= 0 && n <= max) {
                return n;
            }
        } else if (value instanceof BigDecimal d) {
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
        if (value instanceof Long n) {
            return BigDecimal.valueOf(n);
        }
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        throw new InvalidMandate(ClaimNames.NBF);
    }

    private static String scope(Object value) throws InvalidMandate {
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return text;
        }
        throw new InvalidMandate(ClaimNames.SCOPE);
    }

    /** Absent or null → empty list; otherwise an array whose elements are all non-empty strings. */
    private static List<String> nonEmptyStrings(Object value, String name) throws InvalidMandate {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> elements)) {
            throw new InvalidMandate(name);
        }
        for (Object element : elements) {
            if (!(element instanceof String text) || text.isEmpty()) {
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
        if (!(value instanceof String text)) {
            throw new InvalidMandate(name);
        }
        return text.isEmpty() ? null : text;
    }

    private static List<ChainHop> chain(Object value) throws InvalidMandate {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> elements)) {
            throw new InvalidMandate(ClaimNames.DELEGATION_CHAIN);
        }
        List<ChainHop> hops = new ArrayList<>(elements.size());
        for (Object element : elements) {
            if (!(element instanceof Map<?, ?> hop)) {
                throw new InvalidMandate(ClaimNames.DELEGATION_CHAIN);
            }
            if (!(hop.get(ClaimNames.APPLICATION_ID) instanceof String applicationId) || applicationId.isEmpty()) {
                throw new InvalidMandate(ClaimNames.DELEGATION_CHAIN);
            }
            hops.add(new ChainHop(applicationId,
                    Optional.ofNullable(optionalString(hop.get(ClaimNames.AGENT_SESSION_ID), ClaimNames.DELEGATION_CHAIN)),
                    Optional.ofNullable(optionalString(hop.get(ClaimNames.DELEGATION_EDGE_ID), ClaimNames.DELEGATION_CHAIN))));
        }
        return Collections.unmodifiableList(hops);
    }
}
