package ai.caracal.tokenstate.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import ai.caracal.tokenstate.postgres.PostgresTokenStateBackend.Mode;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.MandateVerifier;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * state.md §9.4 rows S62 and S63, and the asynchronous recorder: mandates minted by the test kit,
 * verified by a real verifier whose {@code onVerified} hook writes to a real PostgreSQL.
 */
@Tag("postgres")
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class TokenStateRecorderTest {

    private static PostgresForTests db;

    @BeforeAll
    static void startDatabase() {
        db = PostgresForTests.freshSchema();
    }

    @AfterAll
    static void dropSchema() {
        db.close();
    }

    @BeforeEach
    void freshTable() {
        db.dropTables();
        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource())) {
            backend.migrate();
        }
    }

    @Test
    @DisplayName("S62 onVerified(recorder(SYNC)): a successful token writes one row; a failing token writes nothing")
    void syncRecorderWritesSuccessesOnly(TestIssuer issuer) {
        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource())) {
            MandateVerifier verifier = issuer.verifier().onVerified(backend.recorder(Mode.SYNC)).build();
            String good = issuer.mint().sub("user-1").scope("read", "write").sign();
            String bad = issuer.mint().sub("user-2").scope("read").tamperSignature().sign();

            AuthResult accepted = verifier.authenticate(good);
            AuthResult rejected = verifier.authenticate(bad);

            assertThat(accepted.ok()).isTrue();
            assertThat(rejected.ok()).isFalse();
            assertThat(rejected.error().code()).isEqualTo(ErrorCode.INVALID_TOKEN);
            assertThat(db.query("SELECT zone_id || '|' || sub || '|' || scope FROM mcp_token_state"))
                    .containsExactly("zone-1|user-1|read write");
            assertThat(backend.get("zone-1", "user-1")).hasValueSatisfying(row ->
                    assertThat(row.expiresAt()).isEqualTo(accepted.principal().expiresAt())
                            .isEqualTo(issuer.clock().instant().plusSeconds(600)));
        }
    }

    @ParameterizedTest(name = "S63 recorder({0}) with the database down: verification still succeeds; one WARN")
    @EnumSource(Mode.class)
    @DisplayName("S63 recorder with the database down")
    void databaseDownNeverChangesTheResult(Mode mode, TestIssuer issuer) {
        String token = issuer.mint().sign();
        AuthResult result;
        try (LogCapture logs = LogCapture.of("ai.caracal")) {
            try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(PostgresForTests.nothingListening())) {
                MandateVerifier verifier = issuer.verifier().onVerified(backend.recorder(mode)).build();

                result = verifier.authenticate(token);
            } // close() lets the asynchronous worker finish its (failing) write

            assertThat(result.ok()).isTrue();
            List<ILoggingEvent> warnings = logs.eventsAtLeast(Level.WARN);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getLoggerName()).startsWith("ai.caracal.tokenstate.postgres");
            assertThat(warnings.get(0).getFormattedMessage())
                    .contains("Token state not recorded (the verification result is unchanged)")
                    .contains("token state database unavailable")
                    .doesNotContain(token);
        }
    }

    @Test
    @DisplayName("async recorder: close() writes everything still queued")
    void asyncRecorderWritesQueuedItemsBeforeClose(TestIssuer issuer) {
        try (LogCapture logs = LogCapture.of("ai.caracal")) {
            try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource())) {
                MandateVerifier verifier = issuer.verifier().onVerified(backend.recorder()).build();
                for (String sub : List.of("user-1", "user-2", "user-3")) {
                    assertThat(verifier.authenticate(issuer.mint().sub(sub).sign()).ok()).isTrue();
                }
            }

            assertThat(db.query("SELECT sub FROM mcp_token_state ORDER BY sub"))
                    .containsExactly("user-1", "user-2", "user-3");
            assertThat(logs.atLeast(Level.WARN)).isEmpty();
        }
    }

    @Test
    @DisplayName("async recorder: recorder() hands out one shared recorder")
    void asyncRecorderIsShared() {
        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource())) {
            assertThat(backend.recorder()).isSameAs(backend.recorder(Mode.ASYNC));
        }
    }

    @Test
    @DisplayName("async recorder: a full queue drops the item with one rate-limited WARN")
    void fullQueueDropsWithOneWarning(TestIssuer issuer) throws SQLException {
        Claims claims = issuer.verifier().build().authenticate(issuer.mint().sub("user-1").sign()).principal();
        try (HikariDataSource onlyOneConnection = db.singleConnectionPool();
             LogCapture logs = LogCapture.of("ai.caracal")) {
            PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(onlyOneConnection);
            Consumer<Claims> recorder = backend.recorder();
            try (Connection held = onlyOneConnection.getConnection()) {
                // The worker takes the first item and waits for the held connection; the rest queue up.
                for (int i = 0; i < AsyncRecorder.CAPACITY + 3; i++) {
                    recorder.accept(claims);
                }
            }
            backend.close();

            assertThat(logs.atLeast(Level.WARN))
                    .filteredOn(message -> message.contains("queue is full"))
                    .hasSize(1);
            assertThat(onlyOneConnection.isClosed()).isFalse();
            assertThat(db.query("SELECT sub FROM mcp_token_state")).containsExactly("user-1");
        }
    }

    @Test
    @DisplayName("async recorder: after close() it drops what it is given, with a WARN, and never throws")
    void closedRecorderDropsWithWarning(TestIssuer issuer) {
        Claims claims = issuer.verifier().build().authenticate(issuer.mint().sign()).principal();
        PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource());
        Consumer<Claims> recorder = backend.recorder();
        backend.close();

        try (LogCapture logs = LogCapture.of("ai.caracal")) {
            recorder.accept(claims);

            assertThat(logs.atLeast(Level.WARN)).singleElement().asString().contains("recorder is closed");
        }
        assertThat(db.query("SELECT count(*) FROM mcp_token_state")).containsExactly("0");
    }
}
