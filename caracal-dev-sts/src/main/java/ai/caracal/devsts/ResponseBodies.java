package ai.caracal.devsts;

import ai.caracal.mint.Es256Key;
import ai.caracal.verify.ClaimNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies of devtools.md §1.4–§1.8, in the member order of the spec. Stateless. */
final class ResponseBodies {

    private ResponseBodies() {
    }

    static Map<String, Object> jwks(List<Es256Key> keys) {
        List<Object> published = new ArrayList<>();
        keys.forEach(key -> published.add(key.publicJwk()));
        return Map.of("keys", published);
    }

    static Map<String, Object> mint(MintResponse response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", response.accessToken());
        body.put("token_type", response.tokenType());
        body.put("expires_in", response.expiresIn());
        response.scope().ifPresent(scope -> body.put(ClaimNames.SCOPE, scope));
        body.put("issued_token_type", response.issuedTokenType());
        body.put("target_resources", response.targetResources());
        body.put(ClaimNames.SID, response.sid());
        body.put(ClaimNames.JTI, response.jti());
        body.put("claims", response.claims());
        return body;
    }

    static Map<String, Object> revoke(RevokeResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("revoked", result.revoked());
        body.put("applied_to_store", result.appliedToStore());
        body.put("published", result.published());
        body.put("stream", result.stream());
        body.put("stream_id", result.streamId().orElse(null));
        return body;
    }

    static Map<String, Object> invalidate(InvalidateResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(ClaimNames.ZONE_ID, result.zoneId());
        body.put("epoch", result.epoch());
        body.put("applied_to_store", result.appliedToStore());
        body.put("published", result.published());
        body.put("stream_id", result.streamId().orElse(null));
        return body;
    }

    static Map<String, Object> rotate(RotateResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rotated", true);
        body.put(ClaimNames.ZONE_ID, result.zoneId());
        body.put("kid", result.kid());
        body.put("previous_kid", result.previousKid().orElse(null));
        return body;
    }

    static Map<String, Object> zones(List<ZoneInfo> zones) {
        List<Object> list = new ArrayList<>();
        for (ZoneInfo zone : zones) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(ClaimNames.ZONE_ID, zone.zoneId());
            entry.put("kids", zone.kids());
            entry.put("epoch", zone.epoch());
            list.add(entry);
        }
        return Map.of("zones", list);
    }

    static Map<String, Object> health() {
        return Map.of("status", "ok");
    }
}
