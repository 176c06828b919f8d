package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.MandateVerifier;
import ai.caracal.verify.Requirements;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** connectors.md §3.2 and §4: construction of the boundary every connector builder shares. */
class HttpBoundaryBuilderTest {

    private static final String ISSUER = "http://127.0.0.1:9";
    private static final String ISSUER_MISSING = "Caracal issuer missing: set issuer or CARACAL_STS_URL";
    private static final String AUDIENCE_MISSING = "Caracal audience missing: set this resource's audience";
    private static final String STORE_MISSING = "Caracal revocation store missing: set revocations";

    private final RevocationStore store = new InMemoryRevocationStore();
    private final Map<String, String> env = new HashMap<>();

    private HttpBoundary.Builder builder() {
        return HttpBoundary.builder().environment(env::get);
    }

    @Test
    @DisplayName("§4 order 1: with nothing set, the issuer is reported first")
    void nothingSetReportsIssuer() {
        assertThatThrownBy(() -> builder().build()).isInstanceOf(IllegalArgumentException.class).hasMessage(ISSUER_MISSING);
    }

    @Test
    @DisplayName("§4 order 1: a missing issuer is reported even when audience and store are set")
    void missingIssuerAlone() {
        assertThatThrownBy(() -> builder().audience("https://api.test").revocations(store).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(ISSUER_MISSING);
    }

    @Test
    @DisplayName("§4 order 2: with an issuer, a missing audience comes before a missing store")
    void missingAudienceBeforeStore() {
        assertThatThrownBy(() -> builder().issuer(ISSUER).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(AUDIENCE_MISSING);
    }

    @Test
    @DisplayName("§4 order 2: a blank audience counts as missing")
    void blankAudienceIsMissing() {
        assertThatThrownBy(() -> builder().issuer(ISSUER).audience("  ").revocations(store).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(AUDIENCE_MISSING);
    }

    @Test
    @DisplayName("§4 order 3: a missing store is a NullPointerException with the §4 text")
    void missingStore() {
        assertThatThrownBy(() -> builder().issuer(ISSUER).audience("https://api.test").build())
                .isInstanceOf(NullPointerException.class).hasMessage(STORE_MISSING);
    }

    @Test
    @DisplayName("§4: a missing zone is allowed")
    void missingZoneIsAllowed() {
        HttpBoundary boundary = builder().issuer(ISSUER).audience("https://api.test").revocations(store).build();
        assertThat(boundary.verifier().options().zoneId()).isEmpty();
    }

    @Test
    @DisplayName("§4: an issuer the verifier rejects is an IllegalArgumentException from construction")
    void invalidIssuer() {
        assertThatThrownBy(() -> builder().issuer("ftp://sts.example.com").audience("https://api.test").revocations(store).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("issuer must be an absolute https:// URL");
    }

    @Test
    @DisplayName("§4: CARACAL_STS_URL is the default issuer, with trailing / stripped")
    void issuerFromEnvironment() {
        env.put("CARACAL_STS_URL", ISSUER + "//");
        HttpBoundary boundary = builder().audience("https://api.test").revocations(store).build();
        assertThat(boundary.verifier().options().issuer()).isEqualTo(ISSUER);
    }

    @Test
    @DisplayName("§4: an explicit issuer beats CARACAL_STS_URL")
    void explicitIssuerWins() {
        env.put("CARACAL_STS_URL", "http://127.0.0.1:1");
        HttpBoundary boundary = builder().issuer(ISSUER).audience("https://api.test").revocations(store).build();
        assertThat(boundary.verifier().options().issuer()).isEqualTo(ISSUER);
    }

    @Test
    @DisplayName("§4: an empty CARACAL_STS_URL counts as unset")
    void emptyIssuerVariableIsUnset() {
        env.put("CARACAL_STS_URL", "");
        assertThatThrownBy(() -> builder().audience("https://api.test").revocations(store).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(ISSUER_MISSING);
    }

    @Test
    @DisplayName("§4: CARACAL_ZONE_ID is the default zone; an explicit zone beats it; empty counts as unset")
    void zoneFromEnvironment() {
        env.put("CARACAL_ZONE_ID", "zone-env");
        assertThat(zoneOf(builder())).contains("zone-env");
        assertThat(zoneOf(builder().zoneId("zone-explicit"))).contains("zone-explicit");
        env.put("CARACAL_ZONE_ID", "");
        assertThat(zoneOf(builder())).isEmpty();
    }

    @Test
    @DisplayName("§4: the environment is read when the boundary is built, not afterwards")
    void environmentIsReadAtConstruction() {
        env.put("CARACAL_STS_URL", ISSUER);
        env.put("CARACAL_ZONE_ID", "zone-1");
        HttpBoundary boundary = builder().audience("https://api.test").revocations(store).build();
        env.put("CARACAL_STS_URL", "http://127.0.0.1:2");
        env.put("CARACAL_ZONE_ID", "zone-2");
        assertThat(boundary.verifier().options().issuer()).isEqualTo(ISSUER);
        assertThat(boundary.verifier().options().zoneId()).contains("zone-1");
    }

    @Test
    @DisplayName("a given verifier is used as the default rule, and the environment is not needed")
    void givenVerifierIsUsed() {
        MandateVerifier verifier = MandateVerifier.builder().issuer(ISSUER).audience("https://api.test").revocations(store).build();
        assertThat(builder().verifier(verifier).build().verifier()).isSameAs(verifier);
    }

    static Stream<Arguments> optionsBesideAVerifier() {
        return Stream.of(
                Arguments.of("issuer", (Consumer<HttpBoundary.Builder>) b -> b.issuer(ISSUER)),
                Arguments.of("audience", (Consumer<HttpBoundary.Builder>) b -> b.audience("https://api.test")),
                Arguments.of("zoneId", (Consumer<HttpBoundary.Builder>) b -> b.zoneId("zone-1")),
                Arguments.of("revocations", (Consumer<HttpBoundary.Builder>) b -> b.revocations(new InMemoryRevocationStore())),
                Arguments.of("verifierOptions", (Consumer<HttpBoundary.Builder>) b -> b.verifierOptions(v -> v.requireAgent(true))));
    }

    @ParameterizedTest(name = "verifier + {0}")
    @MethodSource("optionsBesideAVerifier")
    @DisplayName("a verifier and verifier options together are a construction error")
    void verifierExcludesOptions(String option, Consumer<HttpBoundary.Builder> set) {
        MandateVerifier verifier = MandateVerifier.builder().issuer(ISSUER).audience("https://api.test").revocations(store).build();
        HttpBoundary.Builder builder = builder().verifier(verifier);
        set.accept(builder);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("set either verifier(...) or the issuer/audience/zoneId/revocations/verifierOptions options, not both");
    }

    @Test
    @DisplayName("verifierOptions are applied to the verifier the builder creates")
    void verifierOptionsApply() {
        HttpBoundary boundary = builder().issuer(ISSUER).audience("https://api.test").revocations(store)
                .verifierOptions(v -> v.requiredScopes("read")).verifierOptions(v -> v.requireAgent(true)).build();
        assertThat(boundary.verifier().options().requiredScopes()).containsExactly("read");
        assertThat(boundary.verifier().options().requireAgent()).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" then \"/payouts\"")
    @ValueSource(strings = {"/payouts", "/payouts/", "/payouts//"})
    @DisplayName("§3.2: two routes that normalise to the same prefix are a construction error")
    void duplicateRoutes(String first) {
        HttpBoundary.Builder builder = builder().route(first, Requirements.NONE);
        assertThatThrownBy(() -> builder.route("/payouts", Requirements.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("route /payouts is configured twice");
    }

    @Test
    @DisplayName("§3.2: \"\" and \"/\" are the same route prefix")
    void emptyAndSlashRoutesCollide() {
        HttpBoundary.Builder builder = builder().route("", Requirements.NONE);
        assertThatThrownBy(() -> builder.route("/", Requirements.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("route / is configured twice");
    }

    @Test
    @DisplayName("§3.2: a route or exclude prefix not starting with / is a construction error")
    void prefixesMustStartWithSlash() {
        assertThatThrownBy(() -> builder().route("payouts", Requirements.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("route prefix must start with /: payouts");
        assertThatThrownBy(() -> builder().exclude("/ok", "healthz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("exclude prefix must start with /: healthz");
    }

    @Test
    @DisplayName("§3.2: prefixes differing only in case are different routes")
    void routesAreCaseSensitive() {
        HttpBoundary.Builder builder = builder().route("/payouts", Requirements.NONE).route("/Payouts", Requirements.NONE);
        assertThat(builder.issuer(ISSUER).audience("https://api.test").revocations(store).build()).isNotNull();
    }

    @Test
    @DisplayName("null options are rejected with a NullPointerException naming the option")
    void nullsNameTheOption() {
        HttpBoundary.Builder b = builder();
        assertThatThrownBy(() -> b.verifier(null)).isInstanceOf(NullPointerException.class).hasMessage("verifier");
        assertThatThrownBy(() -> b.issuer(null)).isInstanceOf(NullPointerException.class).hasMessage("issuer");
        assertThatThrownBy(() -> b.audience(null)).isInstanceOf(NullPointerException.class).hasMessage("audience");
        assertThatThrownBy(() -> b.revocations(null)).isInstanceOf(NullPointerException.class).hasMessage("revocations");
        assertThatThrownBy(() -> b.verifierOptions(null)).isInstanceOf(NullPointerException.class).hasMessage("verifierOptions");
        assertThatThrownBy(() -> b.environment(null)).isInstanceOf(NullPointerException.class).hasMessage("environment");
        assertThatThrownBy(() -> b.route(null, Requirements.NONE)).isInstanceOf(NullPointerException.class).hasMessage("route");
        assertThatThrownBy(() -> b.route("/x", null)).isInstanceOf(NullPointerException.class).hasMessage("requirements");
        assertThatThrownBy(() -> b.exclude((String[]) null)).isInstanceOf(NullPointerException.class).hasMessage("exclude");
        assertThatThrownBy(() -> b.exclude("/a", null)).isInstanceOf(NullPointerException.class).hasMessage("exclude");
    }

    private Optional<String> zoneOf(HttpBoundary.Builder builder) {
        return builder.issuer(ISSUER).audience("https://api.test").revocations(store).build().verifier().options().zoneId();
    }
}
