package ai.caracal.jaxrs.quarkus;

import ai.caracal.jaxrs.CaracalRequestFilter;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import ai.caracal.verify.http.LiveConnections;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the application's one {@link CaracalRequestFilter} from configuration (the example API's rules;
 * {@code caracal.exclude}, {@code /healthz} by default, lists the excluded prefixes).
 */
public class CaracalSetup {

    @Produces
    @Singleton
    RevocationStore revocations() {
        return InMemoryRevocationStore.builder().build();
    }

    /** The open SSE streams, re-checked against the store every {@code caracal.live-recheck-interval} (2 s by default). */
    @Produces
    @Singleton
    LiveConnections liveConnections(RevocationStore revocations,
            @ConfigProperty(name = "caracal.live-recheck-interval", defaultValue = "PT2S") Duration recheck) {
        return LiveConnections.builder().revocations(revocations).recheckInterval(recheck).build();
    }

    void close(@Disposes LiveConnections live) {
        live.close();
    }

    @Produces
    @Singleton
    CaracalRequestFilter caracal(RevocationStore revocations, LiveConnections live,
            @ConfigProperty(name = "caracal.issuer") String issuer,
            @ConfigProperty(name = "caracal.audience") String audience,
            @ConfigProperty(name = "caracal.zone-id") String zone,
            @ConfigProperty(name = "caracal.jwks-fetch-timeout", defaultValue = "PT5S") Duration fetchTimeout,
            @ConfigProperty(name = "caracal.exclude", defaultValue = "/healthz") List<String> exclude) {
        MandateVerifier verifier = MandateVerifier.builder()
                .issuer(issuer).audience(audience).zoneId(zone)
                .jwksFetchTimeout(fetchTimeout)
                .revocations(revocations)
                .build();
        return CaracalRequestFilter.builder()
                .verifier(verifier)
                .liveConnections(live)
                .exclude(exclude.toArray(String[]::new))
                .route("/api/documents", Requirements.builder().requiredScopes("documents:read").build())
                .route("/api/payouts", Requirements.builder().requiredScopes("billing:payout").requireDelegation(true).build())
                .build();
    }
}
