package ai.caracal.jaxrs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * A small application with distinct resources, as a runtime routes them: {@code /healthz} (meant to be
 * excluded), {@code /items} (default rule), {@code /payouts} (its own route), {@code /whoami}. Every
 * answer names the resource that ran ({@code X-Resource}) and the sub it saw ({@code X-Sub}, or
 * {@code none}), so a test can check that the boundary's decision fits the resource the runtime chose.
 */
@Path("/")
public final class AppResources {

    @GET
    @Path("healthz")
    public Response healthz(@Context SecurityContext security) {
        return answer("healthz", security);
    }

    @GET
    @Path("healthz/{rest: .+}")
    public Response healthzBelow(@Context SecurityContext security) {
        return answer("healthz", security);
    }

    @GET
    @Path("healthz/strict")
    public Response strict(@Context SecurityContext security) {
        try {
            return answer("healthz", security, CaracalClaims.require(security).sub());
        } catch (IllegalStateException e) {
            return Response.ok("IllegalStateException: " + e.getMessage()).header("X-Resource", "healthz").header("X-Sub", "none").build();
        }
    }

    @GET
    @Path("items")
    public Response items(@Context SecurityContext security) {
        return answer("items", security);
    }

    @GET
    @Path("items/{rest: .+}")
    public Response itemsBelow(@Context SecurityContext security) {
        return answer("items", security);
    }

    @GET
    @Path("payouts")
    public Response payouts(@Context SecurityContext security) {
        return answer("payouts", security);
    }

    @POST
    @Path("payouts")
    public Response createPayout(@Context SecurityContext security, String body) {
        return answer("payouts", security, "created " + body.length());
    }

    @GET
    @Path("payouts/{rest: .+}")
    public Response payoutsBelow(@Context SecurityContext security) {
        return answer("payouts", security);
    }

    @GET
    @Path("whoami")
    public Response whoami(@Context SecurityContext security) {
        return answer("whoami", security, security.getUserPrincipal().getName() + " " + security.getAuthenticationScheme()
                + " " + (security.getUserPrincipal() instanceof CaracalPrincipal));
    }

    private static Response answer(String resource, SecurityContext security) {
        return answer(resource, security, resource);
    }

    private static Response answer(String resource, SecurityContext security, String body) {
        String sub = CaracalClaims.from(security).map(c -> c.sub()).orElse("none");
        return Response.ok(body, "text/plain").header("X-Resource", resource).header("X-Sub", sub).build();
    }
}
