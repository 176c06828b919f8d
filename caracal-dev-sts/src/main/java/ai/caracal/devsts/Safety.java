package ai.caracal.devsts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** The start-up rules of devtools.md §1.1: the banner, loopback-only binding and the mode check. */
final class Safety {

    /** Printed to stderr at every start. */
    static final String BANNER = "DEVELOPMENT ONLY: this issuer is not a Caracal STS";

    /** The one environment variable the dev STS itself reads. */
    static final String MODE_VARIABLE = "CARACAL_MODE";

    private Safety() {
    }

    /**
     * @param mode the value of {@code CARACAL_MODE}, or {@code null}
     * @throws IllegalStateException when it is {@code rc} or {@code stable} (any case, surrounding
     *                               blanks ignored)
     */
    static void checkMode(String mode) {
        String normalised = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
        if (normalised.equals("rc") || normalised.equals("stable")) {
            throw new IllegalStateException("the dev STS refuses to start: " + MODE_VARIABLE + " is " + normalised
                    + ", and development tools must not run in rc or stable deployments");
        }
    }

    /**
     * @param host        the bind host
     * @param allowRemote whether a non-loopback address is allowed
     * @return the resolved address
     * @throws IllegalStateException when the host is not loopback and remote binding is not allowed,
     *                               or cannot be resolved
     */
    static InetAddress bindAddress(String host, boolean allowRemote) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("host " + host + " cannot be resolved", e);
        }
        if (!address.isLoopbackAddress() && !allowRemote) {
            throw new IllegalStateException("host " + host + " is not a loopback address; the dev STS binds "
                    + "other addresses only with allowRemote(true) (--allow-remote)");
        }
        return address;
    }
}
