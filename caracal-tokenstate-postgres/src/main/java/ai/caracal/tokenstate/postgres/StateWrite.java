package ai.caracal.tokenstate.postgres;

import ai.caracal.verify.Claims;
import java.time.Instant;

/**
 * The four columns a recorder writes for one verified mandate; never the token. Extracted from the
 * {@link Claims} at once so that queued writes stay small.
 */
record StateWrite(String zoneId, String sub, String scope, Instant expiresAt) {

    static StateWrite of(Claims claims) {
        return new StateWrite(claims.zoneId(), claims.sub(), claims.scope(), claims.expiresAt());
    }
}
