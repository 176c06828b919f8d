package ai.caracal.verify.http;

import ai.caracal.verify.Claims;
import java.util.Objects;

/**
 * What a connector does with one request. Immutable.
 *
 * <ul>
 *   <li>{@link Kind#VERIFIED}: run the application with {@link #claims()} attached;</li>
 *   <li>{@link Kind#PASS}: run the application without verification and without claims (excluded
 *       path, or a CORS preflight when permitted);</li>
 *   <li>{@link Kind#RESPOND}: do not run the application; write {@link #response()}.</li>
 * </ul>
 */
public final class BoundaryDecision {

    /** The three outcomes. */
    public enum Kind {
        /** verified: continue with claims */
        VERIFIED,
        /** not verified by design: continue without claims */
        PASS,
        /** answer here: a rejection or the metadata document */
        RESPOND
    }

    static final BoundaryDecision PASS = new BoundaryDecision(Kind.PASS, null, null);

    private final Kind kind;
    private final Claims claims;
    private final BoundaryResponse response;

    private BoundaryDecision(Kind kind, Claims claims, BoundaryResponse response) {
        this.kind = kind;
        this.claims = claims;
        this.response = response;
    }

    static BoundaryDecision verified(Claims claims) {
        return new BoundaryDecision(Kind.VERIFIED, Objects.requireNonNull(claims), null);
    }

    static BoundaryDecision respond(BoundaryResponse response) {
        return new BoundaryDecision(Kind.RESPOND, null, Objects.requireNonNull(response));
    }

    /** @return the outcome */
    public Kind kind() {
        return kind;
    }

    /** @return the verified claims for {@link Kind#VERIFIED}, otherwise {@code null} */
    public Claims claims() {
        return claims;
    }

    /** @return the response to write for {@link Kind#RESPOND}, otherwise {@code null} */
    public BoundaryResponse response() {
        return response;
    }
}
