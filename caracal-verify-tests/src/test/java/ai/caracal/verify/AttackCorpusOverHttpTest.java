package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.attacks.AttackContext;
import ai.caracal.testkit.attacks.AttackCorpus;
import ai.caracal.testkit.attacks.AttackHttpReport;
import ai.caracal.testkit.attacks.AttackHttpRunner;
import ai.caracal.testkit.attacks.AttackRoute;
import ai.caracal.testkit.attacks.AttackerOrigin;
import ai.caracal.verify.http.HttpBoundary;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The corpus over HTTP, through {@link AttackHttpRunner}, against a minimal connector built on
 * {@link HttpBoundary} and the JDK server: the same use the connector parity tests make of it.
 */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
@DisplayName("Attack corpus over HTTP: status and error body of every portable case")
class AttackCorpusOverHttpTest {

    @Test
    @DisplayName("baseline default rule plus a /scoped rule requiring read: every portable case answers as expected")
    void everyPortableCaseAnswersWithItsStatusAndError(TestIssuer issuer) {
        HttpBoundary boundary = HttpBoundary.builder().verifier(issuer.verifier().build())
                .route(AttackRoute.SCOPED.prefix(), AttackRoute.SCOPED.requirements().orElseThrow()).build();
        try (AttackerOrigin attacker = AttackerOrigin.start(); BoundaryHttpServer server = BoundaryHttpServer.start(boundary)) {
            AttackHttpReport report = AttackHttpRunner.run(AttackContext.of(issuer, attacker),
                    server.uri("/items"), server.uri(AttackRoute.SCOPED.prefix() + "/items"));

            assertThat(report.sent()).hasSizeGreaterThanOrEqualTo(150);
            assertThat(report.sent().size() + report.skipped().size()).isEqualTo(AttackCorpus.cases().size());
            assertThat(attacker.requests()).isZero();
            assertThat(issuer.jwks().requests()).isEqualTo(issuer.jwks().requests(issuer.zone()));
        }
    }

    @Test
    @DisplayName("a connector whose clock has moved 30 s on since minting (a loaded machine) answers every sent case as expected")
    void casesSentKeepTheirAnswerOnAConnectorClockThatHasMovedOn(TestIssuer issuer) {
        Clock later = Clock.offset(issuer.clock(), Duration.ofSeconds(30));
        HttpBoundary boundary = HttpBoundary.builder().verifier(issuer.verifier().clock(later).build())
                .route(AttackRoute.SCOPED.prefix(), AttackRoute.SCOPED.requirements().orElseThrow()).build();
        try (AttackerOrigin attacker = AttackerOrigin.start(); BoundaryHttpServer server = BoundaryHttpServer.start(boundary)) {
            AttackHttpReport report = AttackHttpRunner.run(AttackContext.of(issuer, attacker),
                    server.uri("/items"), server.uri(AttackRoute.SCOPED.prefix() + "/items"));

            assertThat(report.sent()).hasSizeGreaterThanOrEqualTo(150);
            assertThat(report.skipped()).containsAll(AttackCorpus.cases().stream()
                    .filter(attack -> attack.onClockEdge()).map(attack -> attack.id()).toList());
        }
    }

    @Test
    @DisplayName("parity-fixture shape: the default rule requires read and takes the scoped cases too")
    void defaultRuleRequiringReadTakesEveryCase(TestIssuer issuer) {
        HttpBoundary boundary = HttpBoundary.builder().verifier(issuer.verifier().requiredScopes("read").build()).build();
        try (AttackerOrigin attacker = AttackerOrigin.start(); BoundaryHttpServer server = BoundaryHttpServer.start(boundary)) {
            AttackHttpReport report = AttackHttpRunner.run(AttackContext.of(issuer, attacker), server.uri("/items"), server.uri("/items"));

            assertThat(report.sent()).hasSizeGreaterThanOrEqualTo(150);
            assertThat(attacker.requests()).isZero();
        }
    }

    @Test
    @DisplayName("without a scoped endpoint the scoped cases are skipped, not failed")
    void scopedCasesAreSkippedWithoutAScopedEndpoint(TestIssuer issuer) {
        HttpBoundary boundary = HttpBoundary.builder().verifier(issuer.verifier().build()).build();
        try (AttackerOrigin attacker = AttackerOrigin.start(); BoundaryHttpServer server = BoundaryHttpServer.start(boundary)) {
            AttackHttpReport report = AttackHttpRunner.run(AttackContext.of(issuer, attacker), server.uri("/items"));

            assertThat(report.skipped()).containsAll(AttackCorpus.cases().stream()
                    .filter(attack -> attack.route() == AttackRoute.SCOPED).map(attack -> attack.id()).toList());
            assertThat(report.sent()).isNotEmpty();
        }
    }
}
