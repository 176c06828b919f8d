package ai.caracal.spring;

import ai.caracal.servlet.CaracalFilter;
import ai.caracal.verify.Claims;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves {@link CaracalClaims} parameters of type {@link Claims} or {@code Optional<Claims>} from the
 * request attribute {@value CaracalFilter#CLAIMS_ATTRIBUTE}. Stateless and thread-safe.
 */
public final class CaracalClaimsArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(CaracalClaims.class);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        boolean optional = parameter.getParameterType() == Optional.class;
        Class<?> type = optional ? parameter.nestedIfOptional().getNestedParameterType() : parameter.getParameterType();
        if (type != Claims.class) {
            throw new IllegalStateException("@CaracalClaims needs a parameter of type Claims or Optional<Claims>: "
                    + parameter.getExecutable());
        }
        Object value = webRequest.getAttribute(CaracalFilter.CLAIMS_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        Claims claims = value instanceof Claims verified ? verified : null;
        if (optional) {
            return Optional.ofNullable(claims);
        }
        if (claims == null && parameter.getParameterAnnotation(CaracalClaims.class).required()) {
            throw new IllegalStateException("No Caracal claims on this request (excluded path, or the Caracal filter "
                    + "is not mapped to it): use @CaracalClaims(required = false) or Optional<Claims> in "
                    + parameter.getExecutable());
        }
        return claims;
    }
}
