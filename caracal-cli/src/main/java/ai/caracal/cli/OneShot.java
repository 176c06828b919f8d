package ai.caracal.cli;

import ai.caracal.verify.JwksCache;
import java.security.Provider;
import java.security.Security;

/** Settings for a process that verifies one mandate and exits. */
final class OneShot {

    private OneShot() {
    }

    /**
     * A private key cache that verifies with the JDK's own EC provider. For a single signature the
     * faster providers cost more to load (about 300 ms for BouncyCastle) than they save (under 1 ms).
     */
    static JwksCache jwksCache() {
        JwksCache.Builder cache = JwksCache.builder();
        Provider jdk = Security.getProvider("SunEC");
        if (jdk != null) {
            cache.signatureProvider(jdk);
        }
        return cache.build();
    }
}
