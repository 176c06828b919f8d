package ai.caracal.servlet;

import ai.caracal.verify.Claims;
import jakarta.servlet.ServletRequest;
import java.util.Objects;
import java.util.Optional;

/** Reads the claims that {@link CaracalFilter} attached to a request. */
public final class CaracalRequests {

    private CaracalRequests() {
    }

    /**
     * @param request a request
     * @return the verified claims, or empty when the filter did not verify this request (excluded path,
     *         unfiltered servlet, permitted preflight)
     */
    public static Optional<Claims> claims(ServletRequest request) {
        Object claims = Objects.requireNonNull(request, "request").getAttribute(CaracalFilter.CLAIMS_ATTRIBUTE);
        return claims instanceof Claims verified ? Optional.of(verified) : Optional.empty();
    }

    /**
     * @param request a request
     * @return the verified claims
     * @throws IllegalStateException when the filter did not verify this request
     */
    public static Claims requireClaims(ServletRequest request) {
        return claims(request).orElseThrow(() -> new IllegalStateException(
                "No Caracal claims on this request: is CaracalFilter mapped to it, and is the path excluded?"));
    }
}
