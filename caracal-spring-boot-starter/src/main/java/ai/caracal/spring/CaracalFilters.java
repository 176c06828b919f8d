package ai.caracal.spring;

import ai.caracal.servlet.CaracalFilter;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.EarlyAnswer;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** Builds the {@code caracalFilter} registration from {@code caracal.*}. */
final class CaracalFilters {

    /** The registration's bean name and filter name. */
    static final String NAME = "caracalFilter";

    private CaracalFilters() {
    }

    /**
     * @param properties the bound properties
     * @param verifier   the default rule's verifier
     * @return an async-supported, {@code REQUEST}-only registration at {@code caracal.filter-order},
     *         mapped to {@code caracal.url-patterns} plus the metadata document path when metadata is on
     * @throws IllegalArgumentException for a bad route, exclusion or metadata setting
     */
    static FilterRegistrationBean<CaracalFilter> registration(CaracalProperties properties, MandateVerifier verifier) {
        CaracalFilter.Builder builder = CaracalFilter.builder()
                .verifier(verifier)
                .exclude(properties.getExclude() == null ? new String[0] : properties.getExclude().toArray(String[]::new))
                .permitPreflight(properties.isPermitPreflight())
                .wwwAuthenticate(properties.getWwwAuthenticate().isEnabled())
                .realm(blankToNull(properties.getWwwAuthenticate().getRealm()))
                .drainLimit(properties.getDrainLimit() == null ? EarlyAnswer.DEFAULT_DRAIN_LIMIT : properties.getDrainLimit().toBytes());
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
        CaracalFilter filter = builder.build();

        FilterRegistrationBean<CaracalFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName(NAME);
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(properties.getFilterOrder());
        List<String> patterns = properties.getUrlPatterns() == null || properties.getUrlPatterns().isEmpty()
                ? new ArrayList<>(List.of("/*")) : new ArrayList<>(properties.getUrlPatterns());
        if (metadata != null && !patterns.contains("/*") && !patterns.contains(metadata.documentPath())) {
            // The filter answers the document itself, so it must see the document path.
            patterns.add(metadata.documentPath());
        }
        registration.setUrlPatterns(patterns);
        return registration;
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
