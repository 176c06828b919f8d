package ai.caracal.devsts;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code Host} rule of devtools.md D16, against DNS rebinding: a browser page on a hostile domain
 * that re-resolves to 127.0.0.1 still sends its own domain in {@code Host}, so only the names this dev
 * STS knows for itself are answered: the loopback names {@code 127.0.0.1}, {@code localhost} and
 * {@code [::1]}, the host it was told to bind, and the host of its configured issuer (a proxy in front
 * of it), each with or without a port. Names compare without regard to case. Immutable.
 */
final class HostCheck {

    private static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost", "[::1]");

    private final Set<String> names;

    private HostCheck(Set<String> names) {
        this.names = names;
    }

    /**
     * @param bindHost the configured bind host, as given to the builder
     * @param issuer   the issuer (its host is allowed too)
     */
    static HostCheck of(String bindHost, String issuer) {
        Set<String> names = new TreeSet<>(LOOPBACK_NAMES);
        names.add(name(bindHost));
        String issuerHost = URI.create(issuer).getHost();
        if (issuerHost != null) {
            names.add(name(issuerHost));
        }
        return new HostCheck(Set.copyOf(names));
    }

    /**
     * @param hostHeaders every {@code Host} header of the request ({@code null} when there is none)
     * @return whether exactly one {@code Host} was sent and it names this dev STS
     */
    boolean allows(List<String> hostHeaders) {
        if (hostHeaders == null || hostHeaders.size() != 1) {
            return false;
        }
        String host = hostHeaders.get(0).strip();
        int portAt = host.startsWith("[") ? host.indexOf("]:") + 1 : host.indexOf(':');
        String name = portAt > 0 ? host.substring(0, portAt) : host;
        if (portAt > 0 && !validPort(host.substring(portAt + 1))) {
            return false;
        }
        return names.contains(name.toLowerCase(Locale.ROOT));
    }

    /** An IPv6 literal gets its brackets, as it appears in a {@code Host} header. */
    private static String name(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.indexOf(':') >= 0 && !lower.startsWith("[") ? "[" + lower + "]" : lower;
    }

    private static boolean validPort(String port) {
        return !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
