package ai.caracal.jaxrs;

import ai.caracal.testkit.parity.ConnectorParityContract;
import ai.caracal.testkit.parity.ParityFixture;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.util.Set;

/**
 * connectors.md §9 for {@link CaracalRequestFilter} on one runtime: every row P1–P45, the handler being
 * a resource on every path and method that reads the claims through {@code @Context SecurityContext}.
 */
public abstract class JaxrsParityContract extends ConnectorParityContract {

    private JaxrsRuntime runtime;

    /** @return a fresh, unstarted runtime */
    protected abstract JaxrsRuntime runtime();

    @Override
    protected URI start(ParityFixture f) throws Exception {
        CaracalRequestFilter.Builder filter = CaracalRequestFilter.builder()
                .verifier(f.verifier())
                .exclude(f.excludes().toArray(String[]::new))
                .permitPreflight(f.permitPreflight())
                .wwwAuthenticate(f.wwwAuthenticate());
        f.routes().forEach(filter::route);
        CaracalRequestFilter built = filter.build();
        runtime = runtime();
        return runtime.start(new Application() {
            @Override
            public Set<Object> getSingletons() {
                return Set.of(built, new EchoResource(f));
            }
        });
    }

    @Override
    protected void stop() throws Exception {
        runtime.stop();
    }
}
