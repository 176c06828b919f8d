package ai.caracal.spring;

import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.BoundaryBuilder;
import ai.caracal.verify.http.EarlyAnswer;
import ai.caracal.verify.http.LiveConnections;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import java.util.List;

/**
 * The boundary options of {@code caracal.*} (exclusions, preflight, Origin rule, challenge, routes, resource metadata),
 * applied to any connector builder: the servlet filter's and the WebFlux filter's. Free of servlet and
 * reactive classes, so either stack can load it alone.
 */
final class CaracalBoundaryOptions {

    private CaracalBoundaryOptions() {
    }

    /**
     * Applies the boundary options of {@code caracal.*} (the verifier, audit, baggage, exclusions,
     * preflight, challenge, routes, metadata) and the context's live-connection registry to a connector
     * builder.
     *
     * @return the resource metadata set on the builder, or {@code null} when disabled
     * @throws IllegalArgumentException for a bad route, exclusion or metadata setting
     */
    static ProtectedResourceMetadata configure(BoundaryBuilder<?> builder, CaracalProperties properties,
                                               MandateVerifier verifier, CaracalAudit audit, LiveConnections live) {
        builder.verifier(verifier)
                .liveConnections(live)
                .audit(audit.sink())
                .baggage(properties.getTracing().isBaggage())
                .exclude(properties.getExclude() == null ? new String[0] : properties.getExclude().toArray(String[]::new))
                .permitPreflight(properties.isPermitPreflight())
                .wwwAuthenticate(properties.getWwwAuthenticate().isEnabled())
                .realm(blankToNull(properties.getWwwAuthenticate().getRealm()))
                .drainLimit(properties.getDrainLimit() == null ? EarlyAnswer.DEFAULT_DRAIN_LIMIT : properties.getDrainLimit().toBytes());
        if (properties.getOriginCheck().isEnabled()) {
            List<String> allowed = properties.getOriginCheck().getAllowedOrigins();
            try {
                builder.allowedOrigins(allowed == null ? new String[0] : allowed.stream().map(String::trim).toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("caracal.origin-check.allowed-origins: " + e.getMessage(), e);
            }
        }
        List<CaracalProperties.Route> routes = properties.getRoutes() == null ? List.of() : properties.getRoutes();
        for (int i = 0; i < routes.size(); i++) {
            CaracalProperties.Route route = routes.get(i);
            if (route.getPrefix() == null || route.getPrefix().isBlank()) {
                throw new IllegalArgumentException("caracal.routes[" + i + "].prefix is required");
            }
            builder.route(route.getPrefix().trim(), requirements(route));
        }
        ProtectedResourceMetadata metadata = metadata(properties, verifier);
        builder.resourceMetadata(metadata);
        return metadata;
    }

    static Requirements requirements(CaracalProperties.Route route) {
        Requirements.Builder requirements = Requirements.builder()
                .requireAgent(route.isRequireAgent())
                .requireDelegation(route.isRequireDelegation())
                .maxHopCount(route.getMaxHopCount());
        if (route.getRequiredScopes() != null) {
            requirements.requiredScopes(route.getRequiredScopes());
        }
        if (route.getRequiredTargets() != null) {
            requirements.requiredTargets(route.getRequiredTargets());
        }
        if (route.getRequireChainContains() != null) {
            requirements.requireChainContains(route.getRequireChainContains());
        }
        if (route.getRequiredUse() != null && !route.getRequiredUse().isBlank()) {
            requirements.requiredUse(route.getRequiredUse().trim());
        }
        return requirements.build();
    }

    private static ProtectedResourceMetadata metadata(CaracalProperties properties, MandateVerifier verifier) {
        CaracalProperties.ResourceMetadata settings = properties.getResourceMetadata();
        if (!settings.isEnabled()) {
            return null;
        }
        String resource = blankToNull(settings.getResource());
        ProtectedResourceMetadata metadata = ProtectedResourceMetadata.forResource(
                resource != null ? resource : verifier.options().audience());
        if (settings.getAuthorizationServers() != null) {
            metadata = metadata.authorizationServers(settings.getAuthorizationServers().toArray(String[]::new));
        }
        if (settings.getScopesSupported() != null) {
            metadata = metadata.scopesSupported(settings.getScopesSupported().toArray(String[]::new));
        }
        if (blankToNull(settings.getResourceName()) != null) {
            metadata = metadata.resourceName(settings.getResourceName());
        }
        if (blankToNull(settings.getMetadataUrl()) != null) {
            metadata = metadata.metadataUrl(settings.getMetadataUrl().trim());
        }
        return metadata;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
