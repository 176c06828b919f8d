package ai.caracal.jaxrs;

import ai.caracal.verify.http.BoundaryResponse;
import jakarta.ws.rs.core.Response;

/** Turns a {@link BoundaryResponse} into a Jakarta REST {@link Response}: status, headers in order, body unless HEAD. */
final class JaxrsResponses {

    private JaxrsResponses() {
    }

    static Response of(BoundaryResponse response) {
        Response.ResponseBuilder builder = Response.status(response.status());
        response.headers().forEach(builder::header);
        if (response.includeBody()) {
            builder.entity(response.body());
        }
        return builder.build();
    }
}
