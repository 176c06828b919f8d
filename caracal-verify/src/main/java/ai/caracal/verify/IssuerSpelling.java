package ai.caracal.verify;

import ai.caracal.revocation.internal.RateLimitedWarning;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN of devtools.md D18 for a misspelt issuer: a mandate whose signature verified with the
 * configured issuer's keys but whose {@code iss} differs is this server's configuration problem, not the
 * caller's, so it is said at the default level. At most once a minute per verifier, naming only the
 * configured issuer (never the token's claim). Its own logger, apart from {@link MandateVerifier}'s
 * WARNs about swallowed failures. Thread-safe.
 */
final class IssuerSpelling {

    private static final Logger log = LoggerFactory.getLogger(IssuerSpelling.class);

    private final String issuer;
    private final RateLimitedWarning warning = new RateLimitedWarning(Duration.ofMinutes(1));

    IssuerSpelling(String issuer) {
        this.issuer = issuer;
    }

    /** A verified mandate named another issuer. */
    void mismatched() {
        if (warning.admit()) {
            log.warn("Mandates signed with the keys of issuer {} name another iss, so they are rejected (invalid_token):"
                    + " the issuer must be spelled exactly as the STS writes iss (scheme, host: localhost is not"
                    + " 127.0.0.1, port, path); check CARACAL_STS_URL or the issuer setting", issuer);
        }
    }
}
