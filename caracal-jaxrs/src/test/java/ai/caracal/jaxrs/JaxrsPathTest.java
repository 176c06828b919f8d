package ai.caracal.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** connectors.md §3.5 for Jakarta REST: the path the boundary sees for a raw request path. */
class JaxrsPathTest {

    @ParameterizedTest(name = "{0} → {1}")
    @DisplayName("normalised reading: decoded; matrix parameters, encoded / and bad escapes mark it ambiguous (final /.)")
    @CsvSource(delimiter = '|', value = {
            "/                         | /",
            "/items                    | /items",
            "/items/                   | /items/",
            "/healthz/live             | /healthz/live",
            "/a%20b                    | /a b",
            "/caf%C3%A9                | /café",
            "/healthz/../items         | /healthz/../items",
            "/healthz/%2e%2e/items     | /healthz/../items",
            "/healthz/%2E%2E/items     | /healthz/../items",
            "/healthz/.%2e/items       | /healthz/../items",
            "/healthz//items           | /healthz//items",
            "//healthz                 | //healthz",
            "/healthz/%5c../items      | /healthz/\\../items",
            "/healthz/%00x             | /healthz/\u0000x",
            "/healthz%2F..%2Fitems     | /healthz/../items/.",
            "/healthz%2fitems          | /healthz/items/.",
            "/healthz;x=1              | /healthz/.",
            "/healthz;x=1/../items     | /healthz/../items/.",
            "/payouts;v=2/create       | /payouts/create/.",
            "/healthz/..;/items        | /healthz/../items/.",
            "/healthz%3Bx              | /healthz;x",
            "/healthz/%zz              | /healthz/%zz/.",
            "/healthz/%2               | /healthz/%2/.",
            "/healthz/%                | /healthz/%/.",
            "/%C0%AE%C0%AE/items       | /\uFFFD\uFFFD\uFFFD\uFFFD/items",
    })
    void decodesLikeTheRuntimeMatches(String raw, String expected) {
        assertThat(JaxrsPath.decode(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @DisplayName("literal reading: decoded, matrix parameters kept, segments a normalising runtime would move made inert")
    @CsvSource(delimiter = '|', value = {
            "/                         | /",
            "/items/                   | /items/",
            "/a%20b                    | /a b",
            "/healthz/../items         | /healthz/%00/items",
            "/healthz/%2e%2e/items     | /healthz/%00/items",
            "/items/./x                | /items/%00/x",
            "/healthz//items           | /healthz/%00/items",
            "//payouts                 | /%00/payouts",
            "/payouts//                | /payouts/%00/",
            "/healthz%2F..%2Fitems     | /%00",
            "/healthz/%5c..            | /healthz/%00",
            "/healthz;x=1              | /healthz;x=1",
            "/payouts;v=2/create       | /payouts;v=2/create",
            "/healthz/..;/items        | /healthz/..;/items",
            "/healthz/%zz              | /healthz/%zz",
    })
    void literalReading(String raw, String expected) {
        assertThat(JaxrsPath.literal(raw)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a path both readings agree on is asked once; one they disagree on is asked under both, normalised first")
    void readings() {
        assertThat(JaxrsPath.readings("/items/1")).containsExactly("/items/1");
        assertThat(JaxrsPath.readings("/caf%C3%A9")).containsExactly("/café");
        assertThat(JaxrsPath.readings("/items/../payouts")).containsExactly("/items/../payouts", "/items/%00/payouts");
        assertThat(JaxrsPath.readings("/payouts;x=1")).containsExactly("/payouts/.", "/payouts;x=1");
        assertThat(JaxrsPath.readings("/payouts%2Fcreate")).containsExactly("/payouts/create/.", "/%00");
    }

    @Test
    @DisplayName("the path is relative to the application's base URI, which may or may not end with /")
    void relativeToTheBaseUri() {
        URI base = URI.create("http://127.0.0.1:8080/app/");
        assertThat(JaxrsPath.relative(URI.create("http://127.0.0.1:8080/app/items"), base)).isEqualTo("/items");
        assertThat(JaxrsPath.relative(URI.create("http://127.0.0.1:8080/app/"), base)).isEqualTo("/");
        assertThat(JaxrsPath.relative(URI.create("http://127.0.0.1:8080/app"), base)).isEqualTo("/");
        assertThat(JaxrsPath.relative(URI.create("http://127.0.0.1:8080/app/items"), URI.create("http://127.0.0.1:8080/app"))).isEqualTo("/items");
        assertThat(JaxrsPath.relative(URI.create("http://127.0.0.1:8080/items"), URI.create("http://127.0.0.1:8080/"))).isEqualTo("/items");
        assertThat(JaxrsPath.relative(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8080/"))).isEqualTo("/");
    }

    @Test
    @DisplayName("a request outside the base URI keeps its absolute path, and an application prefix is a whole segment")
    void outsideTheBaseUri() {
        URI base = URI.create("http://127.0.0.1:8080/app/");
        assertThat(JaxrsPath.relative(URI.create("http://127.0.0.1:8080/other/items"), base)).isEqualTo("/other/items");
        assertThat(JaxrsPath.relative(URI.create("http://127.0.0.1:8080/appX/items"), base)).isEqualTo("/appX/items");
    }
}
