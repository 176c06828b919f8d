package ai.caracal.devsts;

import ai.caracal.verify.ClaimNames;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the JSON bodies of {@code /dev/mint}, {@code /dev/revoke} and
 * {@code /dev/delegations/invalidate} into requests. Type errors name the field; value rules are the
 * request builders' own, so the Java API and HTTP agree. A JSON {@code null} counts as absent, and
 * unknown members are ignored. Stateless.
 */
final class RequestParsers {

    private RequestParsers() {
    }

    /** The body of {@code POST /dev/delegations/invalidate}: the zone (or {@code null}) and the requested epoch (0 for none). */
    record Invalidation(String zoneId, long epoch) {
    }

    static MintRequest mint(Map<String, Object> body) {
        MintRequest.Builder builder = MintRequest.builder();
        Object audience = body.get("audience");
        if (audience instanceof String single) {
            builder.audience(single);
        } else if (audience != null) {
            builder.audience(strings(audience, "audience", "a string or an array of strings"));
        }
        ifString(body, ClaimNames.ZONE_ID, builder::zoneId);
        ifString(body, ClaimNames.USE, builder::use);
        ifString(body, ClaimNames.CLIENT_ID, builder::clientId);
        ifString(body, ClaimNames.SUB, builder::sub);
        ifString(body, ClaimNames.SUB_TYPE, builder::subType);
        Object scope = body.get(ClaimNames.SCOPE);
        if (scope instanceof String spaced) {
            builder.scope(spaced);
        } else if (scope != null) {
            builder.scope(strings(scope, ClaimNames.SCOPE, "a string or an array of strings"));
        }
        if (body.get(ClaimNames.TARGET) != null) {
            builder.target(strings(body.get(ClaimNames.TARGET), ClaimNames.TARGET, "an array of strings"));
        }
        ifString(body, ClaimNames.AGENT_SESSION_ID, builder::agentSessionId);
        ifString(body, ClaimNames.DELEGATION_EDGE_ID, builder::delegationEdgeId);
        ifString(body, ClaimNames.SOURCE_SESSION_ID, builder::sourceSessionId);
        ifString(body, ClaimNames.TARGET_SESSION_ID, builder::targetSessionId);
        if (body.get(ClaimNames.DELEGATION_PATH) != null) {
            builder.delegationPath(strings(body.get(ClaimNames.DELEGATION_PATH), ClaimNames.DELEGATION_PATH, "an array of strings"));
        }
        if (body.get(ClaimNames.DELEGATION_CHAIN) != null) {
            chain(body.get(ClaimNames.DELEGATION_CHAIN), builder);
        }
        if (body.get(ClaimNames.HOP_COUNT) != null) {
            long hops = integer(body.get(ClaimNames.HOP_COUNT), ClaimNames.HOP_COUNT);
            if (hops < 0 || hops > Integer.MAX_VALUE) {
                throw new InvalidRequestException("hop_count must be an integer from 0 to " + Integer.MAX_VALUE);
            }
            builder.hopCount((int) hops);
        }
        ifString(body, ClaimNames.ROOT_SID, builder::rootSid);
        if (body.get("ttl_seconds") != null) {
            long ttl = integer(body.get("ttl_seconds"), "ttl_seconds");
            if (ttl < 0) {
                throw new InvalidRequestException("ttl_seconds must not be negative");
            }
            builder.ttl(Duration.ofSeconds(ttl));
        }
        Object overrides = body.get("claims_override");
        if (overrides != null) {
            if (!(overrides instanceof Map<?, ?> claims)) {
                throw new InvalidRequestException("claims_override must be a JSON object");
            }
            claims.forEach((name, value) -> builder.overrideClaim((String) name, value));
        }
        return builder.build();
    }

    static RevokeRequest revoke(Map<String, Object> body) {
        RevokeRequest.Builder builder = RevokeRequest.builder();
        ifString(body, ClaimNames.ZONE_ID, builder::zoneId);
        for (String field : RevokeRequest.ANCHOR_FIELDS) {
            ifString(body, field, value -> builder.anchor(field, value));
        }
        ifString(body, "reason", builder::reason);
        return builder.build();
    }

    static Invalidation invalidation(Map<String, Object> body) {
        String zone = null;
        if (body.get(ClaimNames.ZONE_ID) != null) {
            zone = ZoneIds.check(body.get(ClaimNames.ZONE_ID) instanceof String text ? text : null, ClaimNames.ZONE_ID);
        }
        long epoch = 0;
        if (body.get("epoch") != null) {
            epoch = integer(body.get("epoch"), "epoch");
            if (epoch < 0) {
                throw new InvalidRequestException("epoch must be an integer >= 0");
            }
        }
        return new Invalidation(zone, epoch);
    }

    private static void chain(Object value, MintRequest.Builder builder) {
        if (!(value instanceof List<?> hops)) {
            throw new InvalidRequestException("delegation_chain must be an array of objects");
        }
        for (int i = 0; i < hops.size(); i++) {
            String at = "delegation_chain[" + i + "]";
            if (!(hops.get(i) instanceof Map<?, ?> hop)) {
                throw new InvalidRequestException(at + " must be an object");
            }
            if (!(hop.get(ClaimNames.APPLICATION_ID) instanceof String application) || application.isEmpty()) {
                throw new InvalidRequestException(at + ".application_id must be a non-empty string");
            }
            builder.chainHop(application, optionalString(hop.get(ClaimNames.AGENT_SESSION_ID), at + ".agent_session_id"),
                    optionalString(hop.get(ClaimNames.DELEGATION_EDGE_ID), at + ".delegation_edge_id"));
        }
    }

    private static String optionalString(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidRequestException(field + " must be a string");
        }
        return text;
    }

    private static void ifString(Map<String, Object> body, String field, java.util.function.Consumer<String> setter) {
        Object value = body.get(field);
        if (value == null) {
            return;
        }
        if (!(value instanceof String text)) {
            throw new InvalidRequestException(field + " must be a string");
        }
        setter.accept(text);
    }

    private static List<String> strings(Object value, String field, String expected) {
        if (!(value instanceof List<?> elements)) {
            throw new InvalidRequestException(field + " must be " + expected);
        }
        List<String> strings = new ArrayList<>();
        for (Object element : elements) {
            if (!(element instanceof String text)) {
                throw new InvalidRequestException(field + " must be " + expected);
            }
            strings.add(text);
        }
        return strings;
    }

    /** An integral JSON number ({@code 900} or {@code 900.0}) that fits a {@code long}. */
    private static long integer(Object value, String field) {
        try {
            if (value instanceof Long integral) {
                return integral;
            }
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0) {
                return decimal.longValueExact();
            }
        } catch (ArithmeticException e) {
            throw new InvalidRequestException(field + " must be an integer in the 64-bit range");
        }
        throw new InvalidRequestException(field + " must be an integer");
    }
}
