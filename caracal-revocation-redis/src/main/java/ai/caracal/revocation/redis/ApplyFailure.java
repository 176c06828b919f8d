package ai.caracal.revocation.redis;

import ai.caracal.revocation.RevocationStoreException;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.regex.Pattern;

/**
 * Tells a failure to apply one stream entry that will pass by itself from one that the entry will meet
 * again on every delivery (state.md §10, S68).
 *
 * <ul>
 *   <li><b>Transient</b>: the store could not be reached or is not accepting writes right now. A
 *       {@link RevocationStoreException} with no Redis error reply in its causes (no connection, a
 *       timeout, an interrupt, an in-memory store that is full), or a Redis error reply whose code says
 *       the server is busy, loading, read-only, out of memory, failing over or cannot persist
 *       ({@code OOM}, {@code LOADING}, {@code BUSY}, {@code TRYAGAIN}, {@code CLUSTERDOWN},
 *       {@code MASTERDOWN}, {@code READONLY}, {@code NOREPLICAS}, {@code MISCONF}). The poll is aborted
 *       and the entry stays pending, as every later entry would fail the same way.</li>
 *   <li><b>Non-transient</b>: any other Redis error reply (for example {@code WRONGTYPE}: a key of
 *       another type where the epoch should be), and any exception a store throws that is not a
 *       {@link RevocationStoreException}, which the {@code RevocationStore} contract reserves for
 *       failed writes. Only this entry is affected, so the poll goes on with the next one.</li>
 * </ul>
 *
 * <p>Error replies are matched by their code anywhere in the message, because a reply raised inside
 * the epoch script arrives wrapped ({@code ERR Error running script ...: OOM command not allowed ...}
 * on older servers). Stateless.
 */
final class ApplyFailure {

    private static final Pattern TRANSIENT_REPLY =
            Pattern.compile("\\b(?:OOM|LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS|MISCONF)\\b");

    private ApplyFailure() {
    }

    /**
     * @param failure what the store threw while applying an entry
     * @return {@code true} when retrying later can succeed without anything about the entry changing
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException reply) {
                String message = reply.getMessage();
                return message != null && TRANSIENT_REPLY.matcher(message).find();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return failure instanceof RevocationStoreException;
    }
}
