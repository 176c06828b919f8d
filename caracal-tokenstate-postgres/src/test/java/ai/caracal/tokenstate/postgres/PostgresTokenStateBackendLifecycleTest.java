package ai.caracal.tokenstate.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.tokenstate.postgres.PostgresTokenStateBackend.Mode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Ownership, closing, and how failures read: the promises in the backend's Javadoc beyond §9.4. */
@Tag("postgres")
class PostgresTokenStateBackendLifecycleTest {

    private static final int REPLICAS = 4;
    private static final Instant EXPIRY = Instant.parse("2027-01-15T08:10:00Z");

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
    void noTable() {
        db.dropTables();
    }

    @Test
    void migrateFromSeveralReplicasAtOnceSucceeds() throws Exception {
        ExecutorService replicas = Executors.newFixedThreadPool(REPLICAS);
        try {
            for (int round = 0; round < 10; round++) {
                db.dropTables();
                CyclicBarrier together = new CyclicBarrier(REPLICAS);
                List<Future<?>> migrations = new ArrayList<>();
                for (int i = 0; i < REPLICAS; i++) {
                    migrations.add(replicas.submit(() -> {
                        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource())) {
                            together.await();
                            backend.migrate();
                        }
                        return null;
                    }));
                }
                for (Future<?> migration : migrations) {
                    migration.get();
                }
                assertThat(db.query("SELECT count(*) FROM mcp_token_state")).containsExactly("0");
            }
        } finally {
            replicas.shutdownNow();
        }
    }

    @Test
    void closeNeverClosesTheDataSourceAndIsIdempotent() {
        PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource());
        backend.migrate();
        backend.recorder();

        backend.close();
        backend.close();

        assertThat(db.dataSource().isClosed()).isFalse();
        assertThat(db.query("SELECT 1")).containsExactly("1");
    }

    @Test
    void operationsOnAClosedBackendThrowIllegalState() {
        PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource());
        backend.close();

        assertThatThrownBy(() -> backend.upsert("zone-1", "user-1", "read", EXPIRY))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> backend.recorder(Mode.SYNC)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void databaseDownIsATokenStateExceptionThatNamesTheOperationAndNoValues() {
        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(PostgresForTests.nothingListening())) {
            assertThatThrownBy(() -> backend.upsert("zone-secret", "user-secret", "scope-secret", EXPIRY))
                    .isInstanceOf(TokenStateException.class)
                    .hasMessageStartingWith("token state database unavailable: could not get a connection for upsert")
                    .hasMessageNotContaining("zone-secret").hasMessageNotContaining("user-secret")
                    .hasMessageNotContaining("INSERT");
        }
    }

    @Test
    void missingTableSaysToRunMigrate() {
        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource())) {
            assertThatThrownBy(() -> backend.get("zone-1", "user-1"))
                    .isInstanceOf(TokenStateException.class)
                    .hasMessageContaining("mcp_token_state does not exist (run migrate() first)")
                    .hasMessageContaining("42P01");
        }
    }

    @Test
    void blankZoneAndNullScopeAreRejectedBeforeAnySql() {
        try (PostgresTokenStateBackend offline = PostgresTokenStateBackend.create(PostgresForTests.nothingListening())) {
            assertThatThrownBy(() -> offline.upsert(" ", "user-1", "read", EXPIRY))
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("zoneId must not be blank");
            assertThatThrownBy(() -> offline.upsert("zone-1", "user-1", null, EXPIRY))
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("scope must not be null");
            assertThatThrownBy(() -> offline.get("zone-1", ""))
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("sub must not be blank");
            assertThatThrownBy(() -> offline.delete(null, "user-1"))
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("zoneId must not be null");
            assertThatThrownBy(() -> offline.upsert("zone-1", "user-1", "read", Instant.MAX))
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamptz range");
        }
    }

    @Test
    void emptyScopeIsStoredAndSubMicrosecondDigitsAreDropped() {
        try (PostgresTokenStateBackend backend = PostgresTokenStateBackend.create(db.dataSource())) {
            backend.migrate();

            backend.upsert("zone-1", "user-1", "", EXPIRY.plusNanos(1_999));

            assertThat(backend.get("zone-1", "user-1")).hasValueSatisfying(row -> {
                assertThat(row.scope()).isEmpty();
                assertThat(row.expiresAt()).isEqualTo(EXPIRY.plusNanos(1_000));
            });
        }
    }
}
