package ai.caracal.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the verified {@link ai.caracal.verify.Claims} of the current request into a Spring MVC or
 * Spring WebFlux handler parameter of type {@code Claims} or {@code Optional<Claims>}.
 *
 * <pre>{@code
 * @GetMapping("/me")
 * String me(@CaracalClaims Claims claims) { return claims.sub(); }
 * }</pre>
 *
 * <p>A request has no claims when its path is excluded, or when the Caracal filter is not mapped to
 * it. Then a required {@code Claims} parameter fails with {@link IllegalStateException} (a 500, since
 * this is a wiring mistake, not a client error); {@code required = false} gives {@code null}, and
 * {@code Optional<Claims>} gives {@code Optional.empty()}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CaracalClaims {

    /** @return whether a request without claims is a server error (default) rather than {@code null} */
    boolean required() default true;
}
