package ai.caracal.webflux;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.springframework.http.HttpHeaders;

/**
 * Every value of one request header, on Spring Framework 6.2 and 7 alike. The method that returns them
 * all, {@code HttpHeaders.get}, takes an {@code Object} on 6.2 ({@code Map.get}) and a {@code String} on 7,
 * so code compiled against one cannot link against the other; the other methods both lines share either
 * split values on commas ({@code getValuesAsList}) or walk every header. The method is looked up once.
 */
final class HeaderValues {

    private static final MethodHandle GET = lookupGet();

    private HeaderValues() {
    }

    /**
     * @param headers the request headers
     * @param name    a header name, matched case-insensitively
     * @return every value of that header, in order; empty when absent
     */
    @SuppressWarnings("unchecked")
    static List<String> of(HttpHeaders headers, String name) {
        List<String> values;
        try {
            values = (List<String>) GET.invokeExact(headers, name);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("HttpHeaders.get failed", e);
        }
        return values == null ? List.of() : values;
    }

    private static MethodHandle lookupGet() {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType wanted = MethodType.methodType(List.class, HttpHeaders.class, String.class);
        for (Class<?> parameter : new Class<?>[] {String.class, Object.class}) {
            try {
                return lookup.findVirtual(HttpHeaders.class, "get", MethodType.methodType(List.class, parameter)).asType(wanted);
            } catch (NoSuchMethodException e) {
                // the other Spring Framework line
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("HttpHeaders.get is not accessible", e);
            }
        }
        throw new IllegalStateException("HttpHeaders has no get(String) or get(Object): unsupported Spring Framework version");
    }
}
