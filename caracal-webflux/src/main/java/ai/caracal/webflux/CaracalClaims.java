package ai.caracal.webflux;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the verified {@link ai.caracal.verify.Claims} of the current request into an annotated
 * WebFlux controller parameter of type {@code Claims} or {@code Optional<Claims>}, through
 * {@link CaracalClaimsArgumentResolver}. (Spring Boot applications may use the starter's
 * {@code ai.caracal.spring.CaracalClaims} instead; the starter resolves both.)
 *
 * <pre>{@code
 * @GetMapping("/me")
 * Mono<String> me(@CaracalClaims Claims claims) { return Mono.just(claims.sub()); }
 * }</pre>
 *
 * <p>A request has no claims when its path is excluded or the filter is not installed. Then a required
 * {@code Claims} parameter fails with {@link IllegalStateException} (a 500: a wiring mistake, not a client
 * error); {@code required = false} gives {@code null}, and {@code Optional<Claims>} gives
 * {@code Optional.empty()}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CaracalClaims {

    /** @return whether a request without claims is a server error (default) rather than {@code null} */
    boolean required() default true;
}
