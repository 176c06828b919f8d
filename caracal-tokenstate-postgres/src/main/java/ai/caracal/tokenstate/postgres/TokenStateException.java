package ai.caracal.tokenstate.postgres;

import java.sql.SQLException;

/**
 * A token-state operation could not be carried out by the database: no connection could be had, the
 * connection failed, the table is missing, or the statement failed.
 *
 * <p>The message says which operation failed and why, with the SQLState when the driver gave one. It
 * never contains SQL text, parameter values or tokens; the driver's exception is kept as the cause.
 * Argument errors are never reported this way: they are {@link IllegalArgumentException}s, thrown
 * before any SQL runs.
 */
public final class TokenStateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be done; must not contain tokens or SQL parameter values
     * @param cause   the underlying failure, may be {@code null}
     */
    public TokenStateException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure while borrowing a connection from the {@code DataSource}. */
    static TokenStateException connecting(String operation, SQLException e) {
        return new TokenStateException(
                "token state database unavailable: could not get a connection for " + operation + sqlState(e), e);
    }

    /** A failure while running {@code operation} on a borrowed connection. */
    static TokenStateException executing(String operation, SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return new TokenStateException(
                    "token state database unavailable: the connection failed during " + operation + sqlState(e), e);
        }
        if ("42P01".equals(state)) {
            return new TokenStateException(
                    "token state " + operation + " failed: table mcp_token_state does not exist (run migrate() first)"
                            + sqlState(e), e);
        }
        return new TokenStateException("token state " + operation + " failed" + sqlState(e), e);
    }

    private static String sqlState(SQLException e) {
        return e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
    }
}
