package ai.caracal.verify;

import ai.caracal.revocation.InMemoryRevocationStore;

/**
 * Run in a child JVM by {@code JwksTest} (V53, V54), because the environment variable
 * {@code CARACAL_ALLOW_INSECURE_CONFIG_URLS} can only be set for a new process. Builds a verifier for
 * {@code http://sts.internal:8080}; exits 0 when it builds, 1 on {@link IllegalArgumentException},
 * 2 on anything else.
 */
final class InsecureIssuerProbe {

    static final String ISSUER = "http://sts.internal:8080";

    private InsecureIssuerProbe() {
    }

    public static void main(String[] args) {
        try {
            MandateVerifier.builder().issuer(ISSUER).audience("https://api.test").zoneId("zone-1")
                    .revocations(InMemoryRevocationStore.builder().build()).build();
            System.out.println("built");
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.out.println("rejected: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            System.out.println("unexpected: " + e);
            System.exit(2);
        }
    }
}
