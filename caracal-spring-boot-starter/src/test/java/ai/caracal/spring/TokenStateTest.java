package ai.caracal.spring;

import ai.caracal.testkit.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import ai.caracal.tokenstate.postgres.PostgresTokenStateBackend;
import ai.caracal.tokenstate.postgres.TokenState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Postgres token state on the application's {@code DataSource}. The server is
 * {@code CARACAL_TEST_POSTGRES_URL} when set, else the machine's server on 127.0.0.1:5432 (as in
 * caracal-tokenstate-postgres's tests when running as root); each run uses a private schema.
 */
@CaracalTest
class TokenStateTest {

    private static final String MACHINE_SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String SCHEMA = "caracal_spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static String jdbcUrl() {
        String configured = System.getenv("CARACAL_TEST_POSTGRES_URL");
        return configured == null || configured.isBlank() ? MACHINE_SERVER : configured.trim();
    }

    @BeforeAll
    static void createSchema() throws SQLException {
        admin("CREATE SCHEMA " + SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        admin("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("No PostgreSQL at " + jdbcUrl() + ": set CARACAL_TEST_POSTGRES_URL", e);
        }
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setCurrentSchema(SCHEMA);
        return dataSource;
    }

    @Test
    void verifiedMandatesAreRecordedInTheApplicationsDataSource(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("dataSource", dataSource())
                .property("caracal.token-state.postgres.enabled", "true").start()) {
            PostgresTokenStateBackend backend = app.bean(PostgresTokenStateBackend.class);
            String sub = "user-" + UUID.randomUUID();
            assertThat(app.get("/items", Mandates.now(issuer).sub(sub).scope("read").sign()).statusCode()).isEqualTo(200);

            Eventually.waitUntil(Duration.ofSeconds(10), "the token state row", () -> backend.get(issuer.zone(), sub).isPresent());
            Optional<TokenState> state = backend.get(issuer.zone(), sub);
            assertThat(state).hasValueSatisfying(row -> assertThat(row.scope()).isEqualTo("read"));
        }
    }

    @Test
    void recordOnVerifyCanBeTurnedOff(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).sources(EchoFixture.class).bean("dataSource", dataSource())
                .property("caracal.token-state.postgres.enabled", "true")
                .property("caracal.token-state.postgres.record-on-verify", "false").start()) {
            assertThat(app.bean(PostgresTokenStateBackend.class)).isNotNull();
            assertThat(app.context().getBeanNamesForType(CaracalVerifierCustomizer.class))
                    .doesNotContain("caracalTokenStateRecorder");
        }
    }

    @Test
    void notCreatedUnlessEnabled(TestIssuer issuer) {
        try (TestApp app = TestApp.with(issuer).bean("dataSource", dataSource()).start()) {
            assertThat(app.context().getBeanNamesForType(PostgresTokenStateBackend.class)).isEmpty();
        }
    }

    @Test
    void enabledWithoutADataSourceFailsStartup(TestIssuer issuer) {
        Throwable failure = TestApp.with(issuer).property("caracal.token-state.postgres.enabled", "true").failure();
        assertThat(AutoConfigurationTest.rootCause(failure)).hasMessage(TokenStateConfiguration.DATA_SOURCE_MISSING);
    }
}
