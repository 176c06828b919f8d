package ai.caracal.examples.springboot;

import ai.caracal.spring.CaracalClaims;
import ai.caracal.spring.CaracalRequires;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.Claims;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The example API. The starter's filter has verified every request but {@code /healthz} before a
 * handler runs, under the rules of {@code application.yml}: any valid mandate by default,
 * {@code documents:read} under {@code /api/documents}, {@code billing:payout} under
 * {@code /api/payouts}.
 */
@RestController
class ExampleController {

    private static final JsonFactory JSON = new JsonFactory();

    @GetMapping(path = "/healthz", produces = MediaType.APPLICATION_JSON_VALUE)
    String health() {
        return "{\"status\":\"ok\"}";
    }

    @GetMapping(path = "/api/documents", produces = MediaType.APPLICATION_JSON_VALUE)
    String documents() {
        return "[{\"id\":\"1\",\"title\":\"Quarterly report\"},{\"id\":\"2\",\"title\":\"Roadmap\"}]";
    }

    /** The route rule asks for {@code billing:payout}; this handler adds a delegated mandate on top. */
    @PostMapping(path = "/api/payouts", produces = MediaType.APPLICATION_JSON_VALUE)
    @CaracalRequires(delegation = true)
    String payout() {
        return "{\"accepted\":true}";
    }

    @GetMapping(path = "/api/whoami", produces = MediaType.APPLICATION_JSON_VALUE)
    String whoami(@CaracalClaims Claims claims) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(ClaimNames.SUB, claims.sub());
            json.writeStringField(ClaimNames.ZONE_ID, claims.zoneId());
            json.writeStringField(ClaimNames.SCOPE, claims.scope());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
