package ai.caracal.tokenstate.postgres;

import static ai.caracal.testkit.Eventually.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TcpFaultProxy;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.testkit.logging.LogCapture;
import ai.caracal.tokenstate.postgres.PostgresTokenStateBackend.Mode;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.MandateVerifier;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PostgreSQL going away under a running backend, through a {@link TcpFaultProxy} between the pool and the
 * real server: operations fail with a clear {@link TokenStateException}, recorders never change a
 * verification result (state.md §8.4: there is no "required" recorder), and the same backend and pool
 * work again once the link is restored, without a restart.
 */
@Tag("postgres")
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class TokenStateThroughFaultProxyTest {

    /** The pool's bounds, short so the class stays quick; a production pool would use longer ones. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(1_000);
    /**
     * Head room over the pool's and the backend's bounds: far above any scheduling delay of a loaded
     * machine, far below the faults (they last until restored; an unbounded statement would wait for the
     * operating system to give up, minutes later). How close an operation comes to its bound is a
     * performance figure, not checked here.
     */
    private static final Duration MARGIN = Duration.ofSeconds(10);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);
    private static final Duration STATEMENT_BOUND = PostgresTokenStateBackend.DEFAULT_NETWORK_TIMEOUT;

    private static PostgresForTests db;
    private TcpFaultProxy proxy;
    private HikariDataSource pool;

    @BeforeAll
    static void createSchema() {
        db = PostgresForTests.freshSchema();
    }

    @AfterAll
    static void dropSchema() {
        db.close();
    }

    @BeforeEach
    void startProxyAndPool() {
        db.dropTables();
        Matcher server = Pattern.compile("^jdbc:postgresql://([^:/?]+):(\\d+)(/.*)$").matcher(PostgresForTests.jdbcUrl());
        assertThat(server.matches()).as("a host:port JDBC URL: %s", PostgresForTests.source()).isTrue();
        proxy = TcpFaultProxy.start(server.group(1), Integer.parseInt(server.group(2)));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + server.group(3));
        config.addDataSourceProperty("currentSchema", db.schema());
        // No socketTimeout, as in the driver's defaults: the pool's timeouts bound borrowing a connection,
        // and nothing but the backend bounds a statement on one that stops answering.
        config.addDataSourceProperty("connectTimeout", "1");
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(250);
        config.setMaximumPoolSize(2);
        config.setPoolName("proxy-" + db.schema());
        pool = new HikariDataSource(config);
        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(pool)) {
            backend.migrate();
        }
    }

    @AfterEach
    void stop() {
        pool.close();
        proxy.close();
    }

    @Test
    @DisplayName("Postgres reset and refused: upsert and get throw a clear TokenStateException within the pool's "
            + "timeout; after restore() the same backend and pool work again")
    void operationsFailClearlyWhileDownAndRecover() {
        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(pool)) {
            backend.upsert("zone-1", "user-before", "read", Instant.now().plusSeconds(600));

            proxy.reset();

            long started = System.nanoTime();
            assertThatThrownBy(() -> backend.upsert("zone-1", "user-secret-sub", "read", Instant.now().plusSeconds(600)))
                    .isInstanceOf(TokenStateException.class)
                    .hasMessageStartingWith("token state database unavailable")
                    .hasMessageContaining("upsert")
                    .hasMessageNotContaining("user-secret-sub")
                    .hasMessageNotContaining("INSERT");
            assertThatThrownBy(() -> backend.get("zone-1", "user-before"))
                    .isInstanceOf(TokenStateException.class)
                    .hasMessageStartingWith("token state database unavailable")
                    .hasMessageContaining("get");
            Duration took = elapsed(started);
            System.out.printf("postgres fault: two operations failed in %d ms (connectionTimeout %d ms)%n",
                    took.toMillis(), CONNECTION_TIMEOUT.toMillis());
            assertThat(took).isLessThan(CONNECTION_TIMEOUT.multipliedBy(2).plus(MARGIN));

            proxy.restore();
            long restored = System.nanoTime();
            waitUntil(RECOVERY_BOUND, "the backend writes again after restore()", () -> upserts(backend, "user-after"));
            System.out.printf("postgres fault: writes again %d ms after restore()%n", elapsed(restored).toMillis());
            assertThat(backend.get("zone-1", "user-after")).isPresent();
            assertThat(backend.get("zone-1", "user-before")).isPresent();
        }
    }

    @ParameterizedTest(name = "recorder({0}), Postgres reset: verification succeeds, one WARN without the token; "
            + "after restore() the recorder writes again")
    @EnumSource(Mode.class)
    void recorderNeverChangesTheResultAndRecovers(Mode mode, TestIssuer issuer) {
        String during = issuer.mint().sub("user-during").sign();
        String after = issuer.mint().sub("user-after").sign();
        try (LogCapture logs = LogCapture.of("ai.caracal")) {
            try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(pool)) {
                MandateVerifier verifier = issuer.verifier().onVerified(backend.recorder(mode)).build();

                proxy.reset();
                AuthResult result = verifier.authenticate(during);
                assertThat(result.ok()).isTrue();
                waitUntil(RECOVERY_BOUND, "the failed write is reported", () -> !logs.atLeast(Level.WARN).isEmpty());

                proxy.restore();
                waitUntil(RECOVERY_BOUND, "the recorder writes again after restore()", () -> {
                    assertThat(verifier.authenticate(after).ok()).isTrue();
                    return !db.query("SELECT sub FROM mcp_token_state WHERE sub = 'user-after'").isEmpty();
                });
            }
            List<ILoggingEvent> warnings = logs.eventsAtLeast(Level.WARN);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getFormattedMessage())
                    .contains("Token state not recorded (the verification result is unchanged)")
                    .contains("token state database unavailable")
                    .doesNotContain(during)
                    .doesNotContain(after);
            assertThat(db.query("SELECT sub FROM mcp_token_state")).containsExactly("user-after");
        }
    }

    @ParameterizedTest(name = "recorder({0}), Postgres blackholed on a pool without socketTimeout: verification "
            + "still succeeds, within the backend's statement bound")
    @EnumSource(Mode.class)
    void blackholedDatabaseNeverFailsVerification(Mode mode, TestIssuer issuer) {
        String token = issuer.mint().sub("user-blackhole").sign();
        try (LogCapture logs = LogCapture.of("ai.caracal");
             PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(pool)) {
            MandateVerifier verifier = issuer.verifier().onVerified(backend.recorder(mode)).build();
            assertThat(verifier.authenticate(issuer.mint().sub("user-warm").sign()).ok()).isTrue();

            proxy.blackhole();
            long started = System.nanoTime();
            // Preemptive: before the fix a SYNC recorder blocked the verifying thread for as long as the
            // blackhole lasted.
            AuthResult result = assertTimeoutPreemptively(STATEMENT_BOUND.plus(MARGIN),
                    () -> verifier.authenticate(token));
            Duration took = elapsed(started);
            System.out.printf("postgres fault: recorder(%s) verification during a blackhole took %d ms "
                    + "(the backend's network timeout %d ms)%n", mode, took.toMillis(), STATEMENT_BOUND.toMillis());

            assertThat(result.ok()).isTrue();
            waitUntil(RECOVERY_BOUND, "the failed write is reported", () -> !logs.atLeast(Level.WARN).isEmpty());
            assertThat(logs.atLeast(Level.WARN)).allSatisfy(message -> assertThat(message).doesNotContain(token));
            proxy.restore();
        }
    }

    private static boolean upserts(PostgresTokenStateBackend backend, String sub) {
        try {
            backend.upsert("zone-1", sub, "read", Instant.now().plusSeconds(600));
            return true;
        } catch (TokenStateException e) {
            return false;
        }
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
