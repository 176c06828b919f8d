/**
 * Per-subject token state in PostgreSQL: the {@code mcp_token_state} table, which maps
 * (zone, subject) to (scope, expiry), and an opt-in recorder that fills it from successful
 * verifications.
 *
 * <p>{@link ai.caracal.tokenstate.postgres.PostgresTokenStateBackend} runs the table's DDL and its
 * operations on a {@link javax.sql.DataSource} that the caller owns (HikariCP recommended), and hands
 * out recorders for {@code MandateVerifier.Builder.onVerified(...)}. This is <em>not</em> a revocation
 * store: the verifier never reads it, and bearer tokens are never stored.
 *
 * <p>All public types are immutable or thread-safe. Database failures surface as the unchecked
 * {@link ai.caracal.tokenstate.postgres.TokenStateException} from the direct operations, and as
 * rate-limited WARN logs from the recorders, which never change a verification result.
 */
package ai.caracal.tokenstate.postgres;
