package ai.caracal.spring;

import ai.caracal.servlet.CaracalFilter;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.http.LiveConnections;
import ai.caracal.verify.http.ProtectedResourceMetadata;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** Builds the {@code caracalFilter} registration of servlet applications from {@code caracal.*}. */
final class CaracalFilters {

    /** The registration's bean name and filter name (in reactive applications, the web filter's bean name). */
    static final String NAME = "caracalFilter";

    private CaracalFilters() {
    }

    /**
     * @param properties the bound properties
     * @param verifier   the default rule's verifier
     * @param audit      the audit queue (possibly without a sink)
     * @param live       the context's open SSE streams
     * @return an async-supported, {@code REQUEST}-only registration at {@code caracal.filter-order},
     *         mapped to {@code caracal.url-patterns} plus the metadata document path when metadata is on
     * @throws IllegalArgumentException for a bad route, exclusion or metadata setting
     */
    static FilterRegistrationBean<CaracalFilter> registration(CaracalProperties properties, MandateVerifier verifier,
                                                              CaracalAudit audit, LiveConnections live) {
        CaracalFilter.Builder builder = CaracalFilter.builder();
        ProtectedResourceMetadata metadata = CaracalBoundaryOptions.configure(builder, properties, verifier, audit, live);
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
}
