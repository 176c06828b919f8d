package ai.caracal.testkit.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A failure exactly as the specification writes it, independent of the implementation: status
 * (connectors.md §2.2), description and hint (verification.md §8.1), body form (§2.2) and challenge
 * (§2.3, for fixture F: no realm, no metadata).
 */
final class ExpectedRejection {

    private static final JsonFactory STRICT_JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final int status;
    private final String code;
    private final String description;
    private final String hint;
    private final String scope;

    private ExpectedRejection(int status, String code, String description, String hint, String scope) {
        this.status = status;
        this.code = code;
        this.description = description;
        this.hint = hint;
        this.scope = scope;
    }

    static ExpectedRejection missingToken() {
        return new ExpectedRejection(401, "missing_token", "Bearer mandate missing",
                "Send the mandate as Authorization: Bearer <mandate>.", null);
    }

    static ExpectedRejection invalidToken() {
        return new ExpectedRejection(401, "invalid_token", "Mandate rejected",
                "Check the mandate's signature, issuer, audience, lifetime, use and targets.", null);
    }

    static ExpectedRejection invalidZone() {
        return new ExpectedRejection(401, "invalid_zone", "Mandate zone not accepted",
                "Make the mandate's zone_id match the verifier's zoneId.", null);
    }

    static ExpectedRejection sessionRevoked() {
        return new ExpectedRejection(401, "session_revoked", "Mandate authority revoked",
                "Obtain a new mandate or start a new authorized session.", null);
    }

    static ExpectedRejection delegationStale() {
        return new ExpectedRejection(401, "delegation_stale", "Delegation graph has changed",
                "Mint a fresh mandate so the current delegation graph applies.", null);
    }

    /** @param scope the missing scope, which in fixture F is also the matched rule's only required scope */
    static ExpectedRejection insufficientScope(String scope) {
        return new ExpectedRejection(403, "insufficient_scope", "Mandate lacks scope: " + scope,
                "Obtain a mandate granting every scope this route requires.", scope);
    }

    static ExpectedRejection agentRequired() {
        return new ExpectedRejection(403, "agent_required", "Agent session required",
                "Use a resource mandate issued to a governed agent session.", null);
    }

    static ExpectedRejection delegationRequired() {
        return new ExpectedRejection(403, "delegation_required", "Delegated mandate required",
                "Use a mandate obtained through a delegated grant.", null);
    }

    static ExpectedRejection chainMismatch(String applicationId) {
        return new ExpectedRejection(403, "chain_mismatch", "Delegation chain lacks application: " + applicationId,
                "Compare requireChainContains with the mandate's delegation_chain.", null);
    }

    static ExpectedRejection hopCountExceeded() {
        return new ExpectedRejection(403, "hop_count_exceeded", "Delegation hop limit exceeded",
                "Shorten the delegation path or raise maxHopCount deliberately.", null);
    }

    String code() {
        return code;
    }

    /** The §2.2 body: compact, keys in order, nothing escaped that JSON does not require. */
    String body() {
        return "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\",\"error_hint\":\"" + hint + "\"}";
    }

    /** The §2.3 challenge with no realm and no metadata. */
    String challenge() {
        if (code.equals("missing_token")) {
            return "Bearer";
        }
        String value = "Bearer error=\"" + (status == 403 ? "insufficient_scope" : "invalid_token") + "\", error_description=\"" + description + "\"";
        return scope == null ? value : value + ", scope=\"" + scope + "\"";
    }

    /**
     * Checks status, the P42 wire form, the exact body and the challenge (or its absence).
     *
     * @param challenge whether the connector runs with {@code wwwAuthenticate(true)}
     */
    void assertMatches(ParityResponse response, boolean challenge) {
        assertEquals(status, response.status(), () -> "status for " + code + ": " + response);
        assertWireForm(response);
        assertEquals(body(), response.body(), "body (connectors.md §2.2, verification.md §8.1)");
        if (challenge) {
            assertEquals(List.of(challenge()), response.headers("WWW-Authenticate"), "WWW-Authenticate (connectors.md §2.3)");
        } else {
            assertEquals(List.of(), response.headers("WWW-Authenticate"), "no WWW-Authenticate with wwwAuthenticate(false)");
        }
    }

    /**
     * P42, for any failure: media type {@code application/json}, {@code Cache-Control: no-store}, and a
     * body that a strict parser reads as exactly the members {@code error}, {@code error_description} and
     * {@code error_hint}, each a string.
     */
    static void assertWireForm(ParityResponse response) {
        List<String> contentType = response.headers("Content-Type");
        assertEquals(1, contentType.size(), () -> "one Content-Type: " + contentType);
        assertEquals("application/json", contentType.get(0).split(";", 2)[0].trim().toLowerCase(Locale.ROOT), "media type (P42)");
        assertEquals(List.of("no-store"), response.headers("Cache-Control"), "Cache-Control (P42)");
        assertEquals(List.of("error", "error_description", "error_hint"), strictMembers(response.body()), "body members (P42)");
    }

    /** The member names of a flat JSON object of strings, read strictly (duplicates, other types and trailing data fail). */
    private static List<String> strictMembers(String json) {
        List<String> names = new ArrayList<>();
        try (JsonParser parser = STRICT_JSON.createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken(), () -> "not a JSON object: " + json);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                assertEquals(JsonToken.VALUE_STRING, parser.nextToken(), () -> "member " + name + " is not a string: " + json);
                names.add(name);
            }
            assertEquals(JsonToken.END_OBJECT, parser.currentToken(), () -> "unterminated object: " + json);
            assertTrue(parser.nextToken() == null, () -> "content after the object: " + json);
        } catch (IOException e) {
            fail("body is not strict JSON: " + json, e);
        }
        return names;
    }

    @Override
    public String toString() {
        return status + " " + code;
    }
}
