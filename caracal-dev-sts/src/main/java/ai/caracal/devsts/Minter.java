package ai.caracal.devsts;

import ai.caracal.mint.Es256Key;
import ai.caracal.mint.MandateClaims;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Builds the claim set of devtools.md §1.5 and signs it through the shared minting path of
 * {@code caracal-mint} (header {@code {"alg":"ES256","typ":"JWT","kid":…}}, claims in
 * {@link MandateClaims#ORDER}). The token is never logged. Thread-safe.
 */
final class Minter {

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
    MintResponse mint(MintRequest request, String zone, Es256Key key, long ttlSeconds, long epoch) {
        boolean resource = "resource".equals(request.use());
        long now = clock.instant().getEpochSecond();
        String sid = ids.next();
        String jti = ids.next();
        List<String> audience = resource ? request.audience() : List.of(issuer);

        MandateClaims claims = new MandateClaims()
                .issuer(issuer).subject(request.sub()).audience(audience)
                .issuedAt(now).expiresAt(now + ttlSeconds).jti(jti)
                .clientId(request.clientId()).subType(request.subType()).use(request.use())
                .zoneId(zone).sid(sid).rootSid(request.rootSid().orElse(sid));
        request.scope().ifPresent(claims::scope);
        List<String> target = request.target().orElse(resource ? audience : List.of());
        if (!target.isEmpty()) {
            claims.target(target);
        }
        request.agentSessionId().ifPresent(id -> claims.agentSessionId(resolve(id)));
        String edge = request.delegationEdgeId().map(this::resolve).orElse(null);
        if (edge != null) {
            claims.delegationEdgeId(edge);
            // Epoch 0 included: the zone's first invalidation (epoch 1) must make this mandate stale too.
            claims.delegationGraphEpoch(epoch);
        }
        request.sourceSessionId().ifPresent(claims::sourceSessionId);
        request.targetSessionId().ifPresent(claims::targetSessionId);
        if (!request.delegationPath().isEmpty()) {
            claims.delegationPath(request.delegationPath());
        }
        if (!request.delegationChain().isEmpty()) {
            claims.delegationChain(request.delegationChain());
        }
        int hopCount = request.hopCount().orElse(request.delegationPath().size());
        if (hopCount > 0) {
            claims.hopCount(hopCount);
        }
        for (Map.Entry<String, Object> override : request.claimsOverride().entrySet()) {
            if (override.getValue() == null) {
                claims.remove(override.getKey());
            } else {
                claims.put(override.getKey(), override.getValue());
            }
        }

        String token = key.sign(claims);
        return new MintResponse(token, ttlSeconds, request.scope(), audience, sid, jti, claims.toMap());
    }

    private String resolve(String id) {
        return MintRequest.NEW.equals(id) ? ids.next() : id;
    }
}
