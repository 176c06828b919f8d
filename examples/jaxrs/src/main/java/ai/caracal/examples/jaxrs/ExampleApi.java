package ai.caracal.examples.jaxrs;

import ai.caracal.jaxrs.CaracalClaims;
import ai.caracal.verify.Claims;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** The examples' small API as Jakarta REST resources; the filter has already verified every mandate. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ExampleApi {

    /** @return the health answer (excluded from verification) */
    @GET
    @Path("healthz")
    public String healthz() {
        return "{\"status\":\"ok\"}";
    }

    /** @return the documents (route: {@code documents:read}) */
    @GET
    @Path("api/documents")
    public String documents() {
        return "[{\"id\":\"1\",\"title\":\"Quarterly report\"},{\"id\":\"2\",\"title\":\"Roadmap\"}]";
    }

    /** @return acceptance (route: {@code billing:payout} and a delegated mandate) */
    @POST
    @Path("api/payouts")
    public String payout() {
        return "{\"accepted\":true}";
    }

    /**
     * @param security the request's security context, whose principal carries the claims
     * @return the verified sub, zone and scope
     */
    @GET
    @Path("api/whoami")
    public String whoami(@Context SecurityContext security) {
        Claims claims = CaracalClaims.require(security);
        return "{\"sub\":" + quote(claims.sub()) + ",\"zone_id\":" + quote(claims.zoneId()) + ",\"scope\":" + quote(claims.scope()) + "}";
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
