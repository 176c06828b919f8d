package ai.caracal.jaxrs.quarkus;

import ai.caracal.jaxrs.CaracalClaims;
import ai.caracal.verify.Claims;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The example API of devtools.md §3.8. {@code /api/whoami} is non-blocking (a {@link Uni}, answered on
 * the event loop); the others are ordinary blocking methods (worker threads).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ExampleResource {

    @GET
    @Path("healthz")
    public String healthz() {
        return "{\"status\":\"ok\"}";
    }

    @GET
    @Path("api/documents")
    public String documents(@Context SecurityContext security) {
        return "{\"documents\":[{\"id\":\"doc-1\",\"title\":\"Quarterly report\"}],\"sub\":\"" + CaracalClaims.require(security).sub() + "\"}";
    }

    @POST
    @Path("api/payouts")
    public String payout() {
        return "{\"accepted\":true}";
    }

    @GET
    @Path("api/whoami")
    public Uni<String> whoami(@Context SecurityContext security) {
        Claims claims = CaracalClaims.require(security);
        return Uni.createFrom().item("{\"sub\":\"" + claims.sub() + "\",\"zone_id\":\"" + claims.zoneId()
                + "\",\"thread\":\"" + Thread.currentThread().getName() + "\"}");
    }
}
