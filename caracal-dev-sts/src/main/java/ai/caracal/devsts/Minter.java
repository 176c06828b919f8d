package ai.caracal.devsts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the claim set of devtools.md §1.5 and signs it as a compact JWS with header
 * {@code {"alg":"ES256","typ":"JWT","kid":…}}. The token is never logged. Thread-safe.
 */
final class Minter {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final Clock clock;
    private final UuidV7 ids;

    Minter(String issuer, Clock clock, UuidV7 ids) {
        this.issuer = issuer;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * @param request    the request
     * @param zone       the resolved zone
     * @param key        the zone's active key
     * @param ttlSeconds the resolved lifetime
     * @param epoch      the zone's delegation graph epoch, stamped on every delegated mandate (0 included)
     */
    MintResponse mint(MintRequest request, String zone, SigningKey key, long ttlSeconds, long epoch) {
        boolean resource = "resource".equals(request.use());
        long now = clock.instant().getEpochSecond();
        String sid = ids.next();
        String jti = ids.next();
        List<String> audience = resource ? request.audience() : List.of(issuer);

        // Claim names spelled out, not ai.caracal.verify.ClaimNames: the dev STS is an issuer independent of
        // caracal-verify (docs/spec/README.md: JDK HttpServer and crypto only), so minting does not share the
        // verifier's spelling and the spec tests can catch a wrong one.
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", request.sub());
        claims.put("aud", audience);
        claims.put("iat", now);
        claims.put("exp", now + ttlSeconds);
        claims.put("jti", jti);
        claims.put("client_id", request.clientId());
        claims.put("sub_type", request.subType());
        claims.put("use", request.use());
        claims.put("zone_id", zone);
        claims.put("sid", sid);
        claims.put("root_sid", request.rootSid().orElse(sid));
        request.scope().ifPresent(scope -> claims.put("scope", scope));
        List<String> target = request.target().orElse(resource ? audience : List.of());
        putIfPresent(claims, "target", target);
        request.agentSessionId().ifPresent(id -> claims.put("agent_session_id", resolve(id)));
        String edge = request.delegationEdgeId().map(this::resolve).orElse(null);
        if (edge != null) {
            claims.put("delegation_edge_id", edge);
        }
        request.sourceSessionId().ifPresent(id -> claims.put("source_session_id", id));
        request.targetSessionId().ifPresent(id -> claims.put("target_session_id", id));
        putIfPresent(claims, "delegation_path", request.delegationPath());
        putIfPresent(claims, "delegation_chain", request.delegationChain());
        int hopCount = request.hopCount().orElse(request.delegationPath().size());
        if (hopCount > 0) {
            claims.put("hop_count", (long) hopCount);
        }
        // Epoch 0 included: the zone's first invalidation (epoch 1) must make this mandate stale too.
        if (edge != null) {
            claims.put("delegation_graph_epoch", epoch);
        }
        for (Map.Entry<String, Object> override : request.claimsOverride().entrySet()) {
            if (override.getValue() == null) {
                claims.remove(override.getKey());
            } else {
                claims.put(override.getKey(), override.getValue());
            }
        }

        String token = sign(key, claims);
        return new MintResponse(token, ttlSeconds, request.scope(), audience, sid, jti, claims);
    }

    private String resolve(String id) {
        return MintRequest.NEW.equals(id) ? ids.next() : id;
    }

    private static void putIfPresent(Map<String, Object> claims, String name, List<?> values) {
        if (!values.isEmpty()) {
            claims.put(name, values);
        }
    }

    private static String sign(SigningKey key, Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", "JWT");
        header.put("kid", key.kid());
        String signingInput = encode(Json.write(header)) + "." + encode(Json.write(claims));
        byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64URL.encodeToString(signature);
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
