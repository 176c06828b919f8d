package ai.caracal.devsts;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.revocation.InMemoryRevocationStore;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** devtools.md §1.3 common rules: 415, 413, 400 naming the field, 404, 405 with {@code Allow}. */
class RequestValidationTest {

    private DevSts sts;
    private Http http;

    @BeforeEach
    void start() {
        sts = DevSts.builder().revocations(new InMemoryRevocationStore()).start();
        http = new Http(sts);
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    private static void assertError(Http.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status of %s", answer.raw().body()).isEqualTo(status);
        assertThat(answer.object()).containsOnlyKeys("error", "error_description");
        assertThat(answer.error()).isEqualTo(code);
        assertThat(answer.description()).isNotBlank();
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/mint", "/dev/revoke", "/dev/delegations/invalidate"})
    void postBodyWithoutJsonContentTypeIsUnsupportedMediaType(String path) {
        assertError(http.post(path, "text/plain", "{}"), 415, "unsupported_media_type");
        assertError(http.post(path, null, "{}"), 415, "unsupported_media_type");
        assertError(http.post(path, "application/x-www-form-urlencoded", "a=b"), 415, "unsupported_media_type");
    }

    @Test
    void jsonContentTypeWithParametersAndAnyCaseIsAccepted() {
        assertThat(http.post("/dev/mint", "Application/JSON; charset=utf-8", "{\"audience\":\"a\"}").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/mint", "/dev/revoke", "/dev/delegations/invalidate"})
    void bodyAbove64KiBIsPayloadTooLarge(String path) {
        String big = "{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}";

        assertError(http.post(path, "application/json", big), 413, "payload_too_large");
    }

    @Test
    void chunkedBodyAbove64KiBIsPayloadTooLarge() {
        byte[] big = ("{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        assertError(http.postChunked("/dev/mint", big), 413, "payload_too_large");
    }

    @Test
    void bodyOfExactly64KiBIsRead() {
        String prefix = "{\"audience\":\"a\",\"pad\":\"";
        String body = prefix + "x".repeat(64 * 1024 - prefix.length() - 2) + "\"}";
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(64 * 1024);

        assertThat(http.post("/dev/mint", "application/json", body).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "", "{\"audience\":}", "{\"a\":1} {}", "{'a':1}", "{\"a\":1,\"a\":2}"})
    void malformedJsonIsInvalidRequest(String body) {
        assertError(http.post("/dev/mint", "application/json", body), 400, "invalid_request");
    }

    @Test
    void duplicateMemberIsNamedAsSuch() {
        Http.Answer answer = http.post("/dev/mint", "application/json", "{\"audience\":\"a\",\"audience\":\"b\"}");

        assertThat(answer.description()).contains("duplicate member");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "1", "null", "true"})
    void nonObjectJsonIsInvalidRequest(String body) {
        Http.Answer answer = http.post("/dev/revoke", "application/json", body);

        assertError(answer, 400, "invalid_request");
        assertThat(answer.description()).isEqualTo("request body must be a JSON object");
    }

    static Stream<Arguments> badMintFields() {
        return Stream.of(
                Arguments.of("{}", "audience"),
                Arguments.of("{\"audience\":[]}", "audience"),
                Arguments.of("{\"audience\":5}", "audience"),
                Arguments.of("{\"audience\":[\"a\",7]}", "audience"),
                Arguments.of("{\"audience\":\"\"}", "audience"),
                Arguments.of("{\"audience\":\"a\",\"zone_id\":\"\"}", "zone_id"),
                Arguments.of("{\"audience\":\"a\",\"zone_id\":\"" + "z".repeat(129) + "\"}", "zone_id"),
                Arguments.of("{\"audience\":\"a\",\"zone_id\":3}", "zone_id"),
                Arguments.of("{\"audience\":\"a\",\"use\":\"gateway\"}", "use"),
                Arguments.of("{\"audience\":\"a\",\"use\":\"other\"}", "use"),
                Arguments.of("{\"audience\":\"a\",\"client_id\":\"\"}", "client_id"),
                Arguments.of("{\"audience\":\"a\",\"client_id\":1}", "client_id"),
                Arguments.of("{\"audience\":\"a\",\"sub\":\"\"}", "sub"),
                Arguments.of("{\"audience\":\"a\",\"sub_type\":\"robot\"}", "sub_type"),
                Arguments.of("{\"audience\":\"a\",\"scope\":{}}", "scope"),
                Arguments.of("{\"audience\":\"a\",\"scope\":[1]}", "scope"),
                Arguments.of("{\"audience\":\"a\",\"target\":\"t\"}", "target"),
                Arguments.of("{\"audience\":\"a\",\"target\":[\"\"]}", "target"),
                Arguments.of("{\"audience\":\"a\",\"agent_session_id\":5}", "agent_session_id"),
                Arguments.of("{\"audience\":\"a\",\"delegation_edge_id\":[\"e\"]}", "delegation_edge_id"),
                Arguments.of("{\"audience\":\"a\",\"source_session_id\":true}", "source_session_id"),
                Arguments.of("{\"audience\":\"a\",\"target_session_id\":1}", "target_session_id"),
                Arguments.of("{\"audience\":\"a\",\"delegation_path\":\"e1\"}", "delegation_path"),
                Arguments.of("{\"audience\":\"a\",\"delegation_chain\":{}}", "delegation_chain"),
                Arguments.of("{\"audience\":\"a\",\"delegation_chain\":[\"app\"]}", "delegation_chain[0]"),
                Arguments.of("{\"audience\":\"a\",\"delegation_chain\":[{\"app\":\"x\"}]}", "delegation_chain[0].application_id"),
                Arguments.of("{\"audience\":\"a\",\"delegation_chain\":[{\"application_id\":\"x\",\"agent_session_id\":1}]}",
                        "delegation_chain[0].agent_session_id"),
                Arguments.of("{\"audience\":\"a\",\"hop_count\":-1}", "hop_count"),
                Arguments.of("{\"audience\":\"a\",\"hop_count\":1.5}", "hop_count"),
                Arguments.of("{\"audience\":\"a\",\"hop_count\":\"1\"}", "hop_count"),
                Arguments.of("{\"audience\":\"a\",\"root_sid\":\"\"}", "root_sid"),
                Arguments.of("{\"audience\":\"a\",\"ttl_seconds\":-1}", "ttl_seconds"),
                Arguments.of("{\"audience\":\"a\",\"ttl_seconds\":901}", "ttl_seconds"),
                Arguments.of("{\"use\":\"session\",\"ttl_seconds\":3601}", "ttl_seconds"),
                Arguments.of("{\"audience\":\"a\",\"ttl_seconds\":\"60\"}", "ttl_seconds"),
                Arguments.of("{\"audience\":\"a\",\"ttl_seconds\":99999999999999999999}", "ttl_seconds"),
                Arguments.of("{\"audience\":\"a\",\"claims_override\":[]}", "claims_override"));
    }

    @ParameterizedTest(name = "{0} names {1}")
    @MethodSource("badMintFields")
    void badMintFieldIsInvalidRequestNamingTheField(String body, String field) {
        Http.Answer answer = http.post("/dev/mint", "application/json", body);

        assertError(answer, 400, "invalid_request");
        assertThat(answer.description()).startsWith(field + " ");
    }

    @Test
    void integralDecimalTtlIsAccepted() {
        assertThat(http.post("/dev/mint", "application/json", "{\"audience\":\"a\",\"ttl_seconds\":60.0}").object())
                .containsEntry("expires_in", 60L);
    }

    @Test
    void nullFieldsCountAsAbsentAndUnknownFieldsAreIgnored() {
        Http.Answer answer = http.post("/dev/mint", "application/json",
                "{\"audience\":\"a\",\"scope\":null,\"zone_id\":null,\"unknown\":{\"x\":1}}");

        assertThat(answer.status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource(delimiter = '|', value = {
            "{}|at least one anchor",
            "{\"sid\":\"\"}|sid",
            "{\"session_id\":5}|session_id",
            "{\"root_sid\":[\"r\"]}|root_sid",
            "{\"agent_session_id\":true}|agent_session_id",
            "{\"delegation_edge_id\":{}}|delegation_edge_id",
            "{\"sid\":\"s\",\"reason\":\"\"}|reason",
            "{\"sid\":\"s\",\"zone_id\":\"\"}|zone_id",
            "{\"session_id\":\"delegation-epoch:zone_dev\"}|session_id",
            "{\"root_sid\":\"consumer-policy:caracal.sessions.revoke:resource-revocation\"}|root_sid",
            "{\"sid\":\"s\\nroot_sid=victim\"}|sid",
            "{\"sid\":\"s\",\"reason\":\"requested\\nroot_sid=victim\"}|reason"})
    void badRevokeFieldIsInvalidRequestNamingTheField(String body, String field) {
        Http.Answer answer = http.post("/dev/revoke", "application/json", body);

        assertError(answer, 400, "invalid_request");
        assertThat(answer.description()).startsWith(field);
    }

    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"epoch\":-1}|epoch",
            "{\"epoch\":\"3\"}|epoch",
            "{\"epoch\":2.5}|epoch",
            "{\"zone_id\":7}|zone_id",
            "{\"zone_id\":\"\"}|zone_id"})
    void badInvalidateFieldIsInvalidRequestNamingTheField(String body, String field) {
        Http.Answer answer = http.post("/dev/delegations/invalidate", "application/json", body);

        assertError(answer, 400, "invalid_request");
        assertThat(answer.description()).startsWith(field + " ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/dev", "/dev/mint/", "/dev/zones/", "/dev/zones//rotate", "/dev/zones/a/b/rotate",
            "/.well-known/jwks", "/healthz", "/dev/zones/zone_dev", "/DEV/MINT"})
    void unknownPathIsNotFound(String path) {
        assertError(http.get(path), 404, "not_found");
        assertError(http.post(path, "application/json", "{}"), 404, "not_found");
    }

    @ParameterizedTest(name = "{0} {1} → Allow: {2}")
    @CsvSource({
            "POST, /.well-known/jwks.json?zone_id=zone_dev, GET",
            "DELETE, /.well-known/jwks.json?zone_id=zone_dev, GET",
            "GET, /dev/mint, POST",
            "PUT, /dev/mint, POST",
            "GET, /dev/revoke, POST",
            "GET, /dev/delegations/invalidate, POST",
            "GET, /dev/zones/zone_dev/rotate, POST",
            "POST, /dev/zones, GET",
            "POST, /health, GET",
            "PATCH, /health, GET"})
    void wrongMethodIsMethodNotAllowedWithAllow(String method, String path, String allow) {
        Http.Answer answer = http.method(method, path);

        assertError(answer, 405, "method_not_allowed");
        assertThat(answer.header("Allow")).isEqualTo(allow);
    }

    @Test
    void rotateTakesNoBodyAndNoContentType() {
        assertThat(http.post("/dev/zones/zone_dev/rotate", null, "").status()).isEqualTo(200);
        assertThat(http.post("/dev/zones/zone_dev/rotate", "text/plain", "ignored").status()).isEqualTo(200);
    }

    @Test
    void rotateZoneSegmentIsPercentDecodedAndLengthChecked() {
        assertThat(http.post("/dev/zones/zone%20x/rotate", null, "").object()).containsEntry("zone_id", "zone x");

        Http.Answer tooLong = http.post("/dev/zones/" + "z".repeat(129) + "/rotate", null, "");
        assertError(tooLong, 400, "invalid_request");
        assertThat(tooLong.description()).startsWith("zone ");
    }

    @Test
    void errorsAreNotCacheable() {
        assertThat(http.get("/nope").header("Cache-Control")).isEqualTo("no-store");
    }
}
