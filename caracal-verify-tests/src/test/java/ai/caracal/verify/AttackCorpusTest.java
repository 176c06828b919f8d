package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.attacks.AttackCase;
import ai.caracal.testkit.attacks.AttackCategory;
import ai.caracal.testkit.attacks.AttackContext;
import ai.caracal.testkit.attacks.AttackCorpus;
import ai.caracal.testkit.attacks.AttackRoute;
import ai.caracal.testkit.attacks.AttackerOrigin;
import ai.caracal.testkit.logging.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every {@link AttackCorpus} case through a real {@link MandateVerifier} on the corpus fixture (a
 * fresh {@code issuer.verifier()} per case, with the case's route requirements), and checks the exact
 * result, that nothing is thrown or swallowed, that no description echoes token bytes, that header-level
 * rejections never touch the JWKS, and that no URL but the configured zone's JWKS is ever fetched: the
 * {@link AttackerOrigin} behind every {@code jku}, {@code x5u} and URL-shaped {@code kid} counts requests.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
@DisplayName("Attack corpus, in process: each case gets exactly its expected result")
class AttackCorpusTest {

    private static AttackerOrigin attacker;

    @BeforeAll
    static void startAttacker() {
        attacker = AttackerOrigin.start();
    }

    @AfterAll
    static void stopAttacker() {
        attacker.close();
    }

    static Stream<AttackCase> corpus() {
        return AttackCorpus.cases().stream();
    }

    static Stream<AttackCase> defaultRouteCases() {
        return corpus().filter(attack -> attack.route() == AttackRoute.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCaseGetsItsExpectedResultAndFetchesNothingElse(AttackCase attack, TestIssuer issuer) {
        AuthResult result = run(attack, issuer, issuer.verifier().build());

        assertExpected(attack, result);
        if (attack.rejectedBeforeKeyLookup()) {
            assertThat(issuer.jwks().requests()).as("%s: JWKS requests", attack.id()).isZero();
        }
        assertThat(issuer.jwks().requests()).as("%s: every JWKS request is for the configured zone", attack.id())
                .isEqualTo(issuer.jwks().requests(issuer.zone()));
        assertThat(attacker.requests()).as("%s: requests to the attacker's origin", attack.id()).isZero();
    }

    /** The corpus holds on the connector parity fixture too, whose default rule requires scope read. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultRouteCases")
    void defaultRouteCasesGiveTheSameResultWhenTheDefaultRuleRequiresRead(AttackCase attack, TestIssuer issuer) {
        assertExpected(attack, run(attack, issuer, issuer.verifier().requiredScopes("read").build()));
        assertThat(attacker.requests()).isZero();
    }

    static Stream<AttackCase> casesOffAClockEdge() {
        return corpus().filter(attack -> !attack.onClockEdge());
    }

    /**
     * A connector verifies with its own clock, which a loaded machine moves on between minting and
     * verifying (TIME-04 flipped over HTTP that way): every case not marked as on a clock edge keeps its
     * result on a clock 30 s past the minting instant.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("casesOffAClockEdge")
    void casesOffAClockEdgeKeepTheirResultOnAClockThatHasMovedOn(AttackCase attack, TestIssuer issuer) {
        Clock later = Clock.offset(issuer.clock(), Duration.ofSeconds(30));
        assertExpected(attack, run(attack, issuer, issuer.verifier().clock(later).build()));
        assertThat(attacker.requests()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AttackCategory.class)
    @DisplayName("every category has several cases")
    void everyCategoryHasSeveralCases(AttackCategory category) {
        assertThat(AttackCorpus.cases(category)).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    @DisplayName("the corpus has at least 150 cases, unique ids, and accepted cases exactly where the description says valid")
    void corpusShape() {
        assertThat(AttackCorpus.cases()).hasSizeGreaterThanOrEqualTo(150);
        assertThat(AttackCorpus.cases().stream().map(AttackCase::id)).doesNotHaveDuplicates();
        assertThat(AttackCorpus.cases()).allSatisfy(attack ->
                assertThat(attack.description().startsWith("valid:")).as(attack.id()).isEqualTo(attack.expected().isEmpty()));
        assertThat(AttackCorpus.cases().stream().filter(attack -> attack.expected().isEmpty())).hasSizeGreaterThanOrEqualTo(20);
    }

    /**
     * The attacker material is real, so the zero-request checks are not vacuous: a verifier that did
     * trust the attacker's origin would accept the forgery.
     */
    @Test
    @DisplayName("KEY-14's forgery verifies against a verifier that trusts the attacker's origin")
    void attackerMaterialWouldBeAcceptedByAVerifierThatFetchedIt(TestIssuer issuer) {
        try (AttackerOrigin trusted = AttackerOrigin.start()) {
            AttackContext context = AttackContext.of(issuer, trusted);
            AttackCase forgery = AttackCorpus.cases().stream().filter(attack -> attack.id().equals("KEY-14")).findFirst().orElseThrow();
            MandateVerifier fooled = MandateVerifier.builder()
                    .issuer(trusted.uri().toString()).audience(issuer.audience()).zoneId(issuer.zone())
                    .revocations(issuer.revocations()).clock(issuer.clock()).jwksTtl(JwksCache.DEFAULT_TTL).build();

            assertThat(fooled.authorization(forgery.authorization(context))).isOk();
            assertThat(trusted.requests()).isEqualTo(1);
        }
    }

    /** Resets nothing (the extension did), prepares, builds the header, and verifies without letting anything escape. */
    private static AuthResult run(AttackCase attack, TestIssuer issuer, MandateVerifier baseline) {
        AttackContext context = AttackContext.of(issuer, attacker);
        attack.prepare(context);
        String header = attack.authorization(context);
        MandateVerifier verifier = baseline;
        AtomicReference<AuthResult> result = new AtomicReference<>();
        try (LogCapture log = LogCapture.of(MandateVerifier.class.getName())) {
            assertThatCode(() -> result.set(verifier.authorization(header, attack.route().requirements().orElse(null))))
                    .as("%s must not throw", attack.id()).doesNotThrowAnyException();
            assertThat(log.warnings()).as("%s: no exception swallowed by the verifier (WARN logged)", attack.id()).isEmpty();
        }
        assertNoTokenBytesInDescription(attack, header, result.get());
        return result.get();
    }

    private static void assertExpected(AttackCase attack, AuthResult result) {
        if (attack.expected().isEmpty()) {
            assertThat(result).as(attack.toString()).isOk();
        } else {
            assertThat(result).as(attack.toString()).failedWith(attack.expected().get());
        }
    }

    /** Token pieces of 8 characters or more never appear in a description (shorter ones occur in English). */
    private static void assertNoTokenBytesInDescription(AttackCase attack, String header, AuthResult result) {
        if (result.ok()) {
            return;
        }
        String description = result.error().description();
        Arrays.stream(header.split("[.\\s,;\"=]+"))
                .filter(piece -> piece.length() >= 8)
                .forEach(piece -> assertThat(description).as("%s description", attack.id()).doesNotContain(piece));
    }
}
