package ai.caracal.tokenstate.postgres;

import ai.caracal.revocation.internal.RateLimitedWarning;
import ai.caracal.verify.Claims;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token state in PostgreSQL: one row per (zone, subject) in {@code mcp_token_state}, holding the
 * scope and expiry last recorded for that subject. It is <b>not</b> a revocation store, the verifier
 * never reads it, and it never stores bearer tokens.
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(config);          // yours: you close it
 * try (PostgresTokenStateBackend tokenState = PostgresTokenStateBackend.create(pool)) {
 *     tokenState.migrate();
 *     MandateVerifier verifier = MandateVerifier.builder()
 *         ... .onVerified(tokenState.recorder()).build();
 * }
 * }</pre>
 *
 * <p><b>Connections.</b> The caller owns the {@link DataSource}. Each operation borrows one connection,
 * runs prepared statements in auto-commit mode (switching a borrowed connection to auto-commit if the
 * pool hands it out without), and returns it. The backend never closes the {@code DataSource}. A
 * borrowed connection without a network timeout of its own (the driver's default) gets one of 5 s for the
 * operation, so a database that stops answering fails the operation instead of blocking it (and a
 * {@link Mode#SYNC} recorder's verification) until the operating system drops the connection; a
 * timeout you configured (pgjdbc's {@code socketTimeout}) is used as it is. Borrowing is bounded by the
 * pool's own connection timeout.
 *
 * <p><b>Failures.</b> Arguments are checked before any SQL runs: a {@code null} or blank
 * {@code zoneId} or {@code sub}, a {@code null} {@code scope} ({@code ""} is allowed) or a
 * {@code null} {@code expiresAt} throws {@link IllegalArgumentException}. Database failures throw the
 * unchecked {@link TokenStateException}. Operations on a closed backend throw
 * {@link IllegalStateException}.
 *
 * <p><b>Recorders.</b> {@link #recorder()} and {@link #recorder(Mode)} never throw and never change a
 * verification result: failures are logged at WARN, rate-limited to one line per minute per kind of
 * failure with a count of the ones held back.
 *
 * <p>Thread-safe. {@link #close()} stops the asynchronous recorder's worker, if one was started.
 */
public final class PostgresTokenStateBackend implements AutoCloseable {

    /** How a recorder writes. */
    public enum Mode {
        /**
         * Queue the write and return at once; one worker thread writes queued items in order. At most
         * 10 000 items wait; when the queue is full the item is dropped and a WARN logged
         * (rate-limited).
         */
        ASYNC,
        /** Write inline, on the verifying thread, before the verification returns. */
        SYNC
    }

    /**
     * The table definition (interoperable with the other Caracal implementations) and this project's
     * index on {@code expires_at}, used by {@link #purgeExpired()}. Idempotent; {@link #migrate()} runs it.
     */
    public static final String DDL = """
            CREATE TABLE IF NOT EXISTS mcp_token_state (
              zone_id    TEXT        NOT NULL,
              sub        TEXT        NOT NULL,
              scope      TEXT        NOT NULL,
              expires_at TIMESTAMPTZ NOT NULL,
              updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
              PRIMARY KEY (zone_id, sub)
            );
            CREATE INDEX IF NOT EXISTS mcp_token_state_expires_at_idx ON mcp_token_state (expires_at);
            """;

    static final String UPSERT = "INSERT INTO mcp_token_state (zone_id, sub, scope, expires_at, updated_at)"
            + " VALUES (?, ?, ?, ?, now())"
            + " ON CONFLICT (zone_id, sub) DO UPDATE SET scope = EXCLUDED.scope,"
            + " expires_at = EXCLUDED.expires_at, updated_at = now()";
    static final String GET = "SELECT zone_id, sub, scope, expires_at, updated_at FROM mcp_token_state"
            + " WHERE zone_id = ? AND sub = ?";
    static final String DELETE = "DELETE FROM mcp_token_state WHERE zone_id = ? AND sub = ?";
    /**
     * The longest wait for the database's answer on a borrowed connection that has no network timeout of
     * its own (the PostgreSQL driver's default, {@code socketTimeout=0}): 5 s. Without it a statement on
     * a connection whose peer went silent (a network partition, a frozen server) waits until the
     * operating system gives up on the connection, minutes later, and a {@link Mode#SYNC} recorder holds
     * the verifying thread that long.
     */
    static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(5);

    /** The advisory-lock key that serialises {@link #migrate()} across replicas: "caracal" in ASCII. */
    private static final long MIGRATION_LOCK_KEY = 0x63617261_63616CL;
    private static final String LOCK_MIGRATION = "SELECT pg_advisory_lock(" + MIGRATION_LOCK_KEY + ")";
    private static final String UNLOCK_MIGRATION = "SELECT pg_advisory_unlock(" + MIGRATION_LOCK_KEY + ")";
    static final String PURGE_EXPIRED = "DELETE FROM mcp_token_state WHERE expires_at <= now()";

    // PostgreSQL's timestamptz range: 4713 BC to 294276 AD.
    private static final Instant EARLIEST = Instant.parse("-4713-11-24T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+294276-12-31T23:59:59.999999Z");

    private static final Logger log = LoggerFactory.getLogger(PostgresTokenStateBackend.class);
    /** Runs the driver's abort of a timed-out connection on the thread that timed out. */
    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;
    private final RateLimitedWarning recordFailed = new RateLimitedWarning(Duration.ofMinutes(1));
    private final RateLimitedWarning recordAfterClose = new RateLimitedWarning(Duration.ofMinutes(1));
    private final Consumer<Claims> syncRecorder = this::recordNow;
    private final Object lock = new Object();
    private AsyncRecorder asyncRecorder;
    private volatile boolean closed;

    private PostgresTokenStateBackend(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates a backend on a {@code DataSource} that stays yours: the backend borrows connections from
     * it and never closes it. Nothing touches the database until the first operation.
     *
     * @param dataSource a PostgreSQL {@code DataSource} (a HikariCP pool is recommended); not {@code null}
     * @return a new backend; close it to stop its asynchronous recorder
     */
    public static PostgresTokenStateBackend create(DataSource dataSource) {
        return new PostgresTokenStateBackend(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Runs {@link #DDL}: creates the table and its index when they do not exist. Idempotent, and safe
     * to run from several replicas at once.
     *
     * @throws TokenStateException if the database fails
     */
    public void migrate() {
        ensureOpen();
        withConnection("migrate", connection -> {
            // CREATE ... IF NOT EXISTS is not safe against itself: two sessions can both pass the existence
            // check and the loser fails on a catalog index (23505, 42P07, 42710 depending on the object).
            // A session-level advisory lock makes replicas migrate one after the other instead.
            try (Statement statement = connection.createStatement()) {
                statement.execute(LOCK_MIGRATION);
                try {
                    statement.execute(DDL);
                } finally {
                    statement.execute(UNLOCK_MIGRATION);
                }
            }
            return null;
        });
    }

    /**
     * Inserts or replaces the row for (zoneId, sub); the last write wins. {@code updated_at} is set to
     * the database's {@code now()}.
     *
     * @param zoneId    the zone; not {@code null} or blank
     * @param sub       the subject; not {@code null} or blank
     * @param scope     the space-delimited scope; not {@code null}, may be {@code ""}
     * @param expiresAt when the mandate expires; not {@code null}, within PostgreSQL's {@code timestamptz}
     *                  range (4713 BC to 294276 AD); stored to the microsecond (finer digits are dropped)
     * @throws IllegalArgumentException if an argument breaks these rules (before any SQL runs)
     * @throws TokenStateException      if the database fails
     */
    public void upsert(String zoneId, String sub, String scope, Instant expiresAt) {
        ensureOpen();
        write(zoneId, sub, scope, expiresAt);
    }

    /**
     * Reads the row for (zoneId, sub). <b>Expired rows are returned too</b>; use
     * {@link TokenState#isExpired(java.time.Clock)}.
     *
     * @param zoneId the zone; not {@code null} or blank
     * @param sub    the subject; not {@code null} or blank
     * @return the row, or empty when there is none
     * @throws IllegalArgumentException if an argument is {@code null} or blank (before any SQL runs)
     * @throws TokenStateException      if the database fails
     */
    public Optional<TokenState> get(String zoneId, String sub) {
        ensureOpen();
        requireText(zoneId, "zoneId");
        requireText(sub, "sub");
        return withConnection("get", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(GET)) {
                statement.setString(1, zoneId);
                statement.setString(2, sub);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new TokenState(row.getString(1), row.getString(2), row.getString(3),
                            row.getObject(4, OffsetDateTime.class).toInstant(),
                            row.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
        });
    }

    /**
     * Deletes the row for (zoneId, sub).
     *
     * @param zoneId the zone; not {@code null} or blank
     * @param sub    the subject; not {@code null} or blank
     * @return {@code true} if a row was removed, {@code false} if there was none
     * @throws IllegalArgumentException if an argument is {@code null} or blank (before any SQL runs)
     * @throws TokenStateException      if the database fails
     */
    public boolean delete(String zoneId, String sub) {
        ensureOpen();
        requireText(zoneId, "zoneId");
        requireText(sub, "sub");
        return withConnection("delete", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
                statement.setString(1, zoneId);
                statement.setString(2, sub);
                return statement.executeUpdate() > 0;
            }
        });
    }

    /**
     * Deletes every row whose {@code expires_at} is at or before the database's {@code now()}.
     *
     * @return the number of rows removed
     * @throws TokenStateException if the database fails
     */
    public int purgeExpired() {
        ensureOpen();
        return withConnection("purgeExpired", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(PURGE_EXPIRED)) {
                return statement.executeUpdate();
            }
        });
    }

    /**
     * The asynchronous recorder for {@code MandateVerifier.Builder.onVerified(...)}: equivalent to
     * {@code recorder(Mode.ASYNC)}. Each call returns the same recorder; its one worker thread starts on
     * the first call and stops in {@link #close()}.
     *
     * @return a listener that records {@code (zone_id, sub, scope, exp)} of each verified mandate
     * @throws IllegalStateException if this backend is closed
     */
    public Consumer<Claims> recorder() {
        return recorder(Mode.ASYNC);
    }

    /**
     * A recorder for {@code MandateVerifier.Builder.onVerified(...)}. The verifier calls it only after
     * a successful verification; it then upserts {@code (zone_id, sub, scope, exp)}. The listener never
     * throws: failures, drops and {@code null} claims are logged at WARN (rate-limited) or ignored, so
     * the verification result never changes.
     *
     * @param mode {@link Mode#ASYNC} (one shared worker thread) or {@link Mode#SYNC} (inline); not {@code null}
     * @return the recorder; {@code ASYNC} returns the same instance on every call
     * @throws IllegalStateException if this backend is closed
     */
    public Consumer<Claims> recorder(Mode mode) {
        Objects.requireNonNull(mode, "mode");
        synchronized (lock) {
            ensureOpen();
            if (mode == Mode.SYNC) {
                return syncRecorder;
            }
            if (asyncRecorder == null) {
                asyncRecorder = new AsyncRecorder(this::writeQuietly);
            }
            return asyncRecorder;
        }
    }

    /**
     * Stops the asynchronous recorder, if one was started: writes still queued are written first, for
     * at most 5 s, and the rest are dropped with one WARN. Never closes the {@code DataSource}.
     * Idempotent; afterwards the operations throw {@link IllegalStateException} and recorders already
     * handed out drop what they are given (with a rate-limited WARN).
     */
    @Override
    public void close() {
        AsyncRecorder recorder;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            recorder = asyncRecorder;
        }
        if (recorder != null) {
            recorder.close();
        }
    }

    private void recordNow(Claims claims) {
        if (claims == null) {
            return;
        }
        if (closed) {
            if (recordAfterClose.admit()) {
                log.warn("Token state recorder is closed; a verified subject was not recorded{}",
                        recordAfterClose.heldBack());
            }
            return;
        }
        StateWrite write;
        try {
            write = StateWrite.of(claims);
        } catch (RuntimeException e) {
            warnNotRecorded("the verified claims could not be read", e);
            return;
        }
        writeQuietly(write);
    }

    /** The recorders' write: also used by the asynchronous worker while close() drains its queue. */
    private void writeQuietly(StateWrite write) {
        try {
            write(write.zoneId(), write.sub(), write.scope(), write.expiresAt());
        } catch (RuntimeException e) {
            warnNotRecorded(e.getMessage(), e);
        }
    }

    private void warnNotRecorded(String why, RuntimeException e) {
        if (recordFailed.admit()) {
            log.warn("Token state not recorded (the verification result is unchanged): {}{}", why, recordFailed.heldBack(),
                    e);
        }
    }

    private void write(String zoneId, String sub, String scope, Instant expiresAt) {
        requireText(zoneId, "zoneId");
        requireText(sub, "sub");
        if (scope == null) {
            throw new IllegalArgumentException("scope must not be null (use \"\" for no scope)");
        }
        OffsetDateTime expiry = toTimestamptz(expiresAt);
        withConnection("upsert", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                statement.setString(1, zoneId);
                statement.setString(2, sub);
                statement.setString(3, scope);
                statement.setObject(4, expiry);
                statement.executeUpdate();
            }
            return null;
        });
    }

    private <T> T withConnection(String operation, SqlWork<T> work) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw TokenStateException.connecting(operation, e);
        }
        try (connection) {
            boolean bounded = boundNetworkWait(connection);
            try {
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                return work.run(connection);
            } finally {
                if (bounded) {
                    unboundNetworkWait(connection);
                }
            }
        } catch (SQLException e) {
            throw TokenStateException.executing(operation, e);
        }
    }

    /**
     * Gives a connection without a network timeout of its own {@link #DEFAULT_NETWORK_TIMEOUT}; one the
     * caller configured (pgjdbc's {@code socketTimeout}, say) is left as it is.
     *
     * @return {@code true} if the timeout was set here and must be taken off again
     */
    private static boolean boundNetworkWait(Connection connection) throws SQLException {
        try {
            if (connection.getNetworkTimeout() != 0) {
                return false;
            }
            connection.setNetworkTimeout(DIRECT, (int) DEFAULT_NETWORK_TIMEOUT.toMillis());
            return true;
        } catch (SQLFeatureNotSupportedException e) {
            return false;
        }
    }

    /** Hands the connection back to the pool as it was lent: without a network timeout. */
    private static void unboundNetworkWait(Connection connection) {
        try {
            connection.setNetworkTimeout(DIRECT, 0);
        } catch (SQLException e) {
            // A broken connection: the pool discards it anyway.
            log.debug("Could not clear the network timeout of a token state connection", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("PostgresTokenStateBackend is closed");
        }
    }

    private static OffsetDateTime toTimestamptz(Instant expiresAt) {
        if (expiresAt == null) {
            throw new IllegalArgumentException("expiresAt must not be null");
        }
        if (expiresAt.isBefore(EARLIEST) || expiresAt.isAfter(LATEST)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt
                    + " is outside PostgreSQL's timestamptz range (4713 BC to 294276 AD)");
        }
        return OffsetDateTime.ofInstant(expiresAt.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static void requireText(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
