package ai.caracal.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Per-handler requirements, checked on the verified claims <b>in addition to</b> the filter's rule
 * (with {@link ai.caracal.verify.Requirements#check(ai.caracal.verify.Claims)}, which never consults the
 * key set or the revocation store again).
 *
 * <pre>{@code
 * @GetMapping("/payouts/{id}")
 * @CaracalRequires(scopes = "payout:read", agent = true)
 * Payout get(@PathVariable String id, @CaracalClaims Claims claims) { ... }
 * }</pre>
 *
 * <p>On a type it applies to every handler method of the type; a method-level annotation
 * <b>replaces</b> the type-level one (they never merge). A failure answers exactly like the filter:
 * same status, {@code Cache-Control}, {@code WWW-Authenticate} (with {@code scope="…"} from this
 * annotation for {@code insufficient_scope}) and JSON body; the handler does not run. A request
 * without claims (excluded path) is answered 401 {@code missing_token}. On Spring MVC and on annotated
 * Spring WebFlux controllers alike, checked before the handler runs.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface CaracalRequires {

    /** @return scopes that must all be granted */
    String[] scopes() default {};

    /** @return resources that must all be in the mandate's {@code target} */
    String[] targets() default {};

    /** @return whether an agent session ({@code agent_session_id}) is required */
    boolean agent() default false;

    /** @return whether a delegation edge ({@code delegation_edge_id}) is required */
    boolean delegation() default false;

    /** @return application IDs that must all appear in {@code delegation_chain} */
    String[] chainContains() default {};

    /** @return the largest accepted {@code hop_count}; 0 (the default) means unset */
    int maxHopCount() default 0;
}
