package ai.caracal.tokenstate.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** state.md §9.4, rows S56–S61, S64 and S65, against a real PostgreSQL in a schema of this class's own. */
@Tag("postgres")
class PostgresTokenStateBackendTest {

    private static final String ZONE = "zone-1";
    private static final String SUB = "user-1";

    private static PostgresForTests db;
    private PostgresTokenStateBackend backend;

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
        backend = PostgresTokenStateBackend.create(db.dataSource());
        backend.migrate();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    @DisplayName("S56 migrate() twice: no error; table and index exist")
    void migrateTwiceLeavesTableAndIndex() {
        db.dropTables();

        backend.migrate();
        backend.migrate();

        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))
                .containsExactly("mcp_token_state");
        assertThat(query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND tablename = 'mcp_token_state' ORDER BY indexname"))
                .containsExactly("mcp_token_state_expires_at_idx", "mcp_token_state_pkey");
        assertThat(query("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND indexname = 'mcp_token_state_expires_at_idx'"))
                .singleElement().asString().contains("(expires_at)");
    }

    @Test
    @DisplayName("S57 upsert read@t1 then write@t2: one row, scope write, expires_at t2, updated_at advanced")
    void secondUpsertReplacesScopeAndExpiry() {
        Instant t1 = Instant.parse("2027-01-15T08:10:00Z");
        Instant t2 = Instant.parse("2027-01-15T09:00:00Z");

        backend.upsert(ZONE, SUB, "read", t1);
        TokenState first = backend.get(ZONE, SUB).orElseThrow();
        backend.upsert(ZONE, SUB, "write", t2);
        TokenState second = backend.get(ZONE, SUB).orElseThrow();

        assertThat(first.scope()).isEqualTo("read");
        assertThat(first.expiresAt()).isEqualTo(t1);
        assertThat(second).extracting(TokenState::zoneId, TokenState::sub, TokenState::scope, TokenState::expiresAt)
                .containsExactly(ZONE, SUB, "write", t2);
        assertThat(second.updatedAt()).isAfter(first.updatedAt());
        assertThat(rowCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("S58 get of a missing key is empty; get of an expired row returns it, with isExpired true")
    void getReturnsEmptyForMissingAndExpiredRowsToo() {
        Instant now = Instant.parse("2027-01-15T08:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        backend.upsert(ZONE, "expired-user", "read", now.minusSeconds(1));

        Optional<TokenState> missing = backend.get(ZONE, "nobody");
        Optional<TokenState> expired = backend.get(ZONE, "expired-user");

        assertThat(missing).isEmpty();
        assertThat(expired).hasValueSatisfying(row -> {
            assertThat(row.sub()).isEqualTo("expired-user");
            assertThat(row.expiresAt()).isEqualTo(now.minusSeconds(1));
            assertThat(row.isExpired(clock)).isTrue();
        });
    }

    @Test
    @DisplayName("S59 delete twice: true, then false")
    void deleteTwiceIsTrueThenFalse() {
        backend.upsert(ZONE, SUB, "read", Instant.parse("2027-01-15T08:10:00Z"));

        boolean first = backend.delete(ZONE, SUB);
        boolean second = backend.delete(ZONE, SUB);

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(backend.get(ZONE, SUB)).isEmpty();
    }

    @Test
    @DisplayName("S60 rows expiring at now - 1 s and now + 1 h: purgeExpired() returns 1; the future row remains")
    void purgeExpiredRemovesOnlyPastRows() {
        Instant databaseNow = databaseNow();
        backend.upsert(ZONE, "past", "read", databaseNow.minusSeconds(1));
        backend.upsert(ZONE, "future", "read", databaseNow.plus(Duration.ofHours(1)));

        int purged = backend.purgeExpired();

        assertThat(purged).isEqualTo(1);
        assertThat(backend.get(ZONE, "past")).isEmpty();
        assertThat(backend.get(ZONE, "future")).isPresent();
    }

    @Test
    @DisplayName("S61 the same sub in zones z1 and z2: two rows")
    void sameSubjectInTwoZonesIsTwoRows() {
        Instant expiry = Instant.parse("2027-01-15T08:10:00Z");

        backend.upsert("z1", SUB, "read", expiry);
        backend.upsert("z2", SUB, "write", expiry);

        assertThat(rowCount()).isEqualTo(2);
        assertThat(backend.get("z1", SUB)).map(TokenState::scope).hasValue("read");
        assertThat(backend.get("z2", SUB)).map(TokenState::scope).hasValue("write");
    }

    @Test
    @DisplayName("S64 the table's columns are exactly zone_id, sub, scope, expires_at, updated_at; no token column anywhere")
    void tableHasFiveColumnsAndNoTokenColumn() {
        List<String> columns = query("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = 'mcp_token_state' ORDER BY ordinal_position");
        List<String> everyColumnInSchema = query("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema()");

        assertThat(columns).containsExactly("zone_id", "sub", "scope", "expires_at", "updated_at");
        assertThat(everyColumnInSchema).hasSize(5)
                .noneMatch(column -> column.contains("token") || column.contains("jwt") || column.contains("bearer"));
    }

    @ParameterizedTest(name = "S65 upsert with {0}: IllegalArgumentException; no SQL executed")
    @MethodSource("invalidUpserts")
    @DisplayName("S65 upsert with a blank sub or a null expiresAt")
    void invalidUpsertIsRejectedBeforeAnySql(String description, String sub, Instant expiresAt, String message) {
        // Nothing listens behind this DataSource: had the backend tried any SQL, the failure would be a
        // TokenStateException, not an IllegalArgumentException.
        try (PostgresTokenStateBackend offline = PostgresTokenStateBackend.create(PostgresForTests.nothingListening())) {
            assertThatThrownBy(() -> offline.upsert(ZONE, sub, "read", expiresAt))
                    .isExactlyInstanceOf(IllegalArgumentException.class);
        }

        assertThatThrownBy(() -> backend.upsert(ZONE, sub, "read", expiresAt))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThat(rowCount()).isZero();
    }

    static Stream<Arguments> invalidUpserts() {
        Instant expiry = Instant.parse("2027-01-15T08:10:00Z");
        return Stream.of(
                Arguments.of("an empty sub", "", expiry, "sub must not be blank"),
                Arguments.of("a whitespace sub", " \t", expiry, "sub must not be blank"),
                Arguments.of("a null sub", null, expiry, "sub must not be null"),
                Arguments.of("a null expiresAt", SUB, null, "expiresAt must not be null"));
    }

    private int rowCount() {
        return Integer.parseInt(query("SELECT count(*) FROM mcp_token_state").get(0));
    }

    private Instant databaseNow() {
        try (Connection connection = db.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT now()")) {
            row.next();
            return row.getObject(1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> query(String sql) {
        return db.query(sql);
    }
}
