package ai.caracal.jaxrs;

import ai.caracal.testkit.parity.ParityFixture;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The parity fixture's handler: every path and method (HEAD through GET), 200 {"sub": …} from the
 * injected security context, counted.
 */
@Path("{any: .*}")
public final class EchoResource {

    private final ParityFixture fixture;

    public EchoResource(ParityFixture fixture) {
        this.fixture = fixture;
    }

    @GET
    public Response get(@Context SecurityContext security) {
        return echo(security);
    }

    @POST
    public Response post(@Context SecurityContext security) {
        return echo(security);
    }

    @PUT
    public Response put(@Context SecurityContext security) {
        return echo(security);
    }

    @DELETE
    public Response delete(@Context SecurityContext security) {
        return echo(security);
    }

    @OPTIONS
    public Response options(@Context SecurityContext security) {
        return echo(security);
    }

    private Response echo(SecurityContext security) {
        fixture.countHandlerCall();
        return Response.ok(ParityFixture.echoBody(CaracalClaims.from(security).orElse(null)), "application/json").build();
    }
}
