package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.TestJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * interop.md §1 and §3: the shared fixtures {@code trace-context.headers.valid.json} and
 * {@code w3c-baggage.valid.json}, checked against the rules of §1 (W3C Trace Context version 00, W3C
 * Baggage, the {@code caracal.*} names derived from verified claims). The {@code caracal.*} entries are
 * what {@code CaracalBaggage.entries} derives from the claims our verifier returns for
 * {@code jwt-claims.resource.valid.json}, whose baggage they describe; the header syntax is checked with the
 * test's own reading of the W3C rules (on the wire the OpenTelemetry propagators parse it: {@code BaggageTest}).
 */
class InteropTraceContextFixturesTest {

    private static final Pattern TRACEPARENT_00 = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = InteropTraceContextFixturesTest.class.getResourceAsStream("/interop/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return JSON.readTree(in);
        }
    }

    @Test
    @DisplayName("trace-context.headers.valid.json: traceparent is version 00 with 4 fields and non-zero IDs")
    void traceparentFollowsVersion00() throws IOException {
        String traceparent = fixture("trace-context.headers.valid.json").path("traceparent").asText();
        var match = TRACEPARENT_00.matcher(traceparent);
        assertThat(match.matches()).as(traceparent).isTrue();
        assertThat(traceparent.split("-")).hasSize(4);
        assertThat(match.group(1)).isNotEqualTo("0".repeat(32));
        assertThat(match.group(2)).isNotEqualTo("0".repeat(16));
        assertThat(fixture("trace-context.headers.valid.json").path("tracestate").asText()).isEqualTo("vendor=value");
    }

    @Test
    @DisplayName("the baggage header of the headers fixture is the baggage map fixture, within §1's limits")
    void baggageHeaderIsTheBaggageMap() throws IOException {
        String header = fixture("trace-context.headers.valid.json").path("baggage").asText();
        Map<String, String> expected = new LinkedHashMap<>();
        fixture("w3c-baggage.valid.json").properties().forEach(entry -> expected.put(entry.getKey(), entry.getValue().asText()));

        Map<String, String> parsed = parseBaggage(header);

        assertThat(parsed).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(parsed).hasSizeLessThanOrEqualTo(64);
        assertThat(header.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(8192);
        assertThat(header).as("never a token in baggage").doesNotContain("eyJ");
    }

    @Test
    @DisplayName("the caracal.* baggage entries are those derived from the verified claims fixture")
    void caracalEntriesDeriveFromVerifiedClaims() throws IOException {
        JsonNode claimsFixture = fixture("jwt-claims.resource.valid.json");
        Claims claims;
        try (TestIssuer keys = TestIssuer.start("zone-1", "resource://api")) {
            byte[] jwks = TestJson.jwks(keys.publicJwk("zone-1")).getBytes(StandardCharsets.UTF_8);
            AuthResult result = MandateVerifier.builder()
                    .issuer(claimsFixture.path("iss").asText()).audience("resource://api").zoneId("zone-1")
                    .revocations(keys.revocations())
                    .clock(Clock.fixed(Instant.ofEpochSecond(claimsFixture.path("iat").asLong()), ZoneOffset.UTC))
                    .jwksFetcher((uri, timeout, maxBytes) -> CompletableFuture.completedFuture(jwks))
                    .build()
                    .authenticate(keys.mint().rawPayload(claimsFixture.toString()).sign());
            assertThat(result.ok()).as("%s", result).isTrue();
            claims = result.principal();
        }
        Map<String, String> baggage = new LinkedHashMap<>();
        fixture("w3c-baggage.valid.json").properties().forEach(entry -> baggage.put(entry.getKey(), entry.getValue().asText()));

        Map<String, String> caracalEntries = new LinkedHashMap<>(baggage);
        caracalEntries.keySet().removeIf(name -> !name.startsWith("caracal."));
        // The parent edge is "the parent delegation edge when known": the claims fixture's delegation_path holds
        // only its own edge, so the header example's parent edge (delegation-root) is not derivable from it.
        caracalEntries.remove("caracal.parent_edge");

        assertThat(ai.caracal.verify.http.CaracalBaggage.entries(claims))
                .as("the boundary's baggage for these verified claims is the fixture's caracal.* entries")
                .containsExactlyInAnyOrderEntriesOf(caracalEntries);
        assertThat(baggage).containsEntry("caracal.session", claims.sid())
                .containsEntry("caracal.agent_session", claims.agentSessionId().orElseThrow())
                .containsEntry("caracal.delegation_edge", claims.delegationEdgeId().orElseThrow())
                .containsEntry("caracal.hop", Integer.toString(claims.hopCount()));
        assertThat(baggage).as("third-party entries pass through").containsEntry("tenant", "example");
    }

    /** W3C Baggage: comma-separated list members, {@code key=value[;properties]}, optional whitespace, percent-encoded values. */
    private static Map<String, String> parseBaggage(String header) {
        Map<String, String> members = new LinkedHashMap<>();
        for (String member : header.split(",")) {
            String keyValue = member.split(";", 2)[0];
            int equals = keyValue.indexOf('=');
            assertThat(equals).as("list member %s", member).isPositive();
            members.put(keyValue.substring(0, equals).strip(),
                    URLDecoder.decode(keyValue.substring(equals + 1).strip(), StandardCharsets.UTF_8));
        }
        return members;
    }
}
