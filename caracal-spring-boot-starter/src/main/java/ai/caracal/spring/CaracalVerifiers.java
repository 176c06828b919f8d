package ai.caracal.spring;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.CaracalEnvironment;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.ScopeHierarchy;
import ai.caracal.verify.VerificationListener;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Builds the default rule's {@link MandateVerifier} from {@code caracal.*} and the environment. */
final class CaracalVerifiers {

    static final String ISSUER_MISSING = "Caracal issuer missing: set caracal.sts-url or CARACAL_STS_URL";
    static final String AUDIENCE_MISSING = "Caracal audience missing: set caracal.audience to this resource's audience";

    private CaracalVerifiers() {
    }

    /**
     * @param properties  the bound properties
     * @param store       the revocation store
     * @param environment where {@code CARACAL_STS_URL} and {@code CARACAL_ZONE_ID} are read when the
     *                    properties leave issuer or zone unset, through {@link CaracalEnvironment}: a
     *                    blank value counts as unset, and {@code caracal.sts-url} is spelled like the
     *                    variable (trailing {@code /} removed)
     * @param listeners   observers for the verifier and its key set cache (metrics)
     * @param customizers applied last
     * @return the verifier
     * @throws IllegalArgumentException for a missing issuer or audience, or invalid settings
     */
    static MandateVerifier create(CaracalProperties properties, RevocationStore store, UnaryOperator<String> environment,
                                  List<VerificationListener> listeners, List<CaracalVerifierCustomizer> customizers) {
        CaracalEnvironment defaults = CaracalEnvironment.read(environment);
        String issuer = defaults.issuer(properties.getStsUrl())
                .orElseThrow(() -> new IllegalArgumentException(ISSUER_MISSING));
        String audience = text(properties.getAudience());
        if (audience == null) {
            throw new IllegalArgumentException(AUDIENCE_MISSING);
        }
        String zone = defaults.zoneId(properties.getZoneId()).orElse(null);
        MandateVerifier.Builder builder = MandateVerifier.builder()
                .issuer(issuer)
                .audience(audience)
                .zoneId(zone)
                .revocations(store)
                .requiredScopes(orEmpty(properties.getRequiredScopes()))
                .requiredTargets(orEmpty(properties.getRequiredTargets()))
                .requireChainContains(orEmpty(properties.getRequireChainContains()))
                .requireAgent(properties.isRequireAgent())
                .requireDelegation(properties.isRequireDelegation())
                .maxHopCount(properties.getMaxHopCount())
                .requiredUse(properties.getRequiredUse())
                .jwksCache(jwksCache(properties.getJwks(), listeners))
                .scopeHierarchy(scopeHierarchy(properties.getScopeHierarchy()));
        listeners.forEach(builder::listener);
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** {@code caracal.scope-hierarchy}: broader scope → the narrower scopes it implies. */
    private static ScopeHierarchy scopeHierarchy(Map<String, List<String>> edges) {
        if (edges == null || edges.isEmpty()) {
            return ScopeHierarchy.NONE;
        }
        try {
            ScopeHierarchy.Builder hierarchy = ScopeHierarchy.builder();
            edges.forEach((broader, narrower) -> hierarchy.implies(broader.trim(),
                    (narrower == null ? List.<String>of() : narrower).stream().map(String::trim).toArray(String[]::new)));
            return hierarchy.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Invalid caracal.scope-hierarchy: " + e.getMessage(), e);
        }
    }

    /** A cache owned by this verifier, so the listeners see its fetches and {@code caracal.jwks.*} apply. */
    private static JwksCache jwksCache(CaracalProperties.Jwks jwks, List<VerificationListener> listeners) {
        try {
            JwksCache.Builder cache = JwksCache.builder()
                    .ttl(jwks.getTtl())
                    .maxStale(jwks.getMaxStale())
                    .fetchTimeout(jwks.getFetchTimeout())
                    .refetchCooldown(jwks.getRefetchCooldown());
            listeners.forEach(cache::listener);
            return cache.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Invalid caracal.jwks settings: " + e.getMessage(), e);
        }
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
