package ai.caracal.webflux;

import ai.caracal.verify.Claims;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.SyncHandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves {@link CaracalClaims} parameters of WebFlux controllers, of type {@link Claims} or
 * {@code Optional<Claims>}, from the exchange attribute {@value CaracalWebFilter#CLAIMS_ATTRIBUTE}.
 * Register it with {@code WebFluxConfigurer.configureArgumentResolvers}:
 *
 * <pre>{@code
 * @Override
 * public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
 *     configurer.addCustomResolver(new CaracalClaimsArgumentResolver());
 * }
 * }</pre>
 *
 * <p>{@link #forAnnotations(Class[])} resolves other marker annotations the same way (the Spring Boot
 * starter uses it for its own {@code @CaracalClaims}); an annotation's {@code boolean required()}
 * attribute, when it has one, means what {@link CaracalClaims#required()} means. Stateless and
 * thread-safe.
 */
public final class CaracalClaimsArgumentResolver implements SyncHandlerMethodArgumentResolver {

    private final List<Class<? extends Annotation>> annotations;

    /** Resolves parameters annotated with {@link CaracalClaims}. */
    public CaracalClaimsArgumentResolver() {
        this(List.of(CaracalClaims.class));
    }

    private CaracalClaimsArgumentResolver(List<Class<? extends Annotation>> annotations) {
        this.annotations = annotations;
    }

    /**
     * @param annotations marker annotations for {@code Claims} parameters; at least one
     * @return a resolver for parameters carrying any of them
     */
    @SafeVarargs
    public static CaracalClaimsArgumentResolver forAnnotations(Class<? extends Annotation>... annotations) {
        List<Class<? extends Annotation>> list = List.of(Objects.requireNonNull(annotations, "annotations"));
        if (list.isEmpty()) {
            throw new IllegalArgumentException("annotations must name at least one annotation");
        }
        return new CaracalClaimsArgumentResolver(list);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return marker(parameter) != null;
    }

    @Override
    public Object resolveArgumentValue(MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
        boolean optional = parameter.getParameterType() == Optional.class;
        Class<?> type = optional ? parameter.nestedIfOptional().getNestedParameterType() : parameter.getParameterType();
        if (type != Claims.class) {
            throw new IllegalStateException("@CaracalClaims needs a parameter of type Claims or Optional<Claims>: "
                    + parameter.getExecutable());
        }
        Optional<Claims> claims = CaracalExchanges.claims(exchange);
        if (optional) {
            return claims;
        }
        if (claims.isEmpty() && required(marker(parameter))) {
            throw new IllegalStateException("No Caracal claims on this request (excluded path, or CaracalWebFilter is "
                    + "not installed): use @CaracalClaims(required = false) or Optional<Claims> in " + parameter.getExecutable());
        }
        return claims.orElse(null);
    }

    private Annotation marker(MethodParameter parameter) {
        for (int i = 0; i < annotations.size(); i++) {
            Annotation found = parameter.getParameterAnnotation(annotations.get(i));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static boolean required(Annotation marker) {
        try {
            Method required = marker.annotationType().getMethod("required");
            return !(required.getReturnType() == boolean.class && Boolean.FALSE.equals(required.invoke(marker)));
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read required() of " + marker.annotationType().getName(), e);
        }
    }
}
