package ai.caracal.revocation.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Coalesces the asynchronous checks of one moment into one {@code MGET} (state.md §4.3): at most one
 * batch is on the wire; the checks that arrive meanwhile wait for its reply and then go together, up to
 * {@value #MAX_KEYS} keys per command. A check that arrives while nothing is in flight is sent at once, so
 * a lone caller pays no extra latency, and under load each check still costs at most one round trip, now
 * shared: fewer commands for Redis, fewer writes and wake-ups for Lettuce's I/O thread.
 *
 * <p>Each batch is bounded by the store's command time-out: a batch without a reply by then is cancelled,
 * counted once with {@link RedisLink#timedOut()} (a silent peer is still noticed after three), and its
 * checks fail; the next batch goes out at once. Each check also keeps its own time-out in the store, so a
 * check never waits longer than {@code commandTimeout} in all, whatever is queued before it.
 *
 * <p>The reply is split back by position: each check reads the values of its own keys. Answers are
 * completed after the next batch is sent, so the callers' continuations (which run on Lettuce's I/O
 * thread) never delay it. Thread-safe.
 */
final class MgetBatches {

    /** The most keys one {@code MGET} carries; a check is never split across two. */
    static final int MAX_KEYS = 1024;

    /** One check waiting for its values. */
    interface Waiting {
        /** @return the keys of the check, in the order its answer reads them */
        String[] keys();

        /** @param values exactly the values of {@link #keys()}, in order */
        void answer(List<KeyValue<String, String>> values);

        /** @param failure why there are no values */
        void fail(Throwable failure);
    }

    private final RedisLink link;
    private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();

    MgetBatches(RedisLink link) {
        this.link = link;
    }

    /** Sends the check now when nothing is in flight, else with the next batch. */
    void submit(Waiting check) {
        queue.add(check);
        pump();
    }

    private void pump() {
        while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
            List<Waiting> batch = take();
            if (batch.isEmpty()) {
                sending.set(false);
                continue;
            }
            send(batch);
            return;
        }
    }

    /** Up to {@link #MAX_KEYS} keys of waiting checks, at least one check. */
    private List<Waiting> take() {
        List<Waiting> batch = new ArrayList<>();
        int keys = 0;
        Waiting next;
        while ((next = queue.peek()) != null) {
            int size = next.keys().length;
            if (!batch.isEmpty() && keys + size > MAX_KEYS) {
                break;
            }
            queue.poll();
            batch.add(next);
            keys += size;
        }
        return batch;
    }

    private void send(List<Waiting> batch) {
        String[] keys = keysOf(batch);
        CompletableFuture<List<KeyValue<String, String>>> reply = new CompletableFuture<>();
        RedisFuture<List<KeyValue<String, String>>>[] sent = newHolder();
        link.commandsAsync().whenComplete((commands, unavailable) -> {
            if (unavailable != null) {
                reply.completeExceptionally(unavailable);
                return;
            }
            try {
                RedisFuture<List<KeyValue<String, String>>> command = commands.mget(keys);
                sent[0] = command;
                command.whenComplete((values, failure) -> {
                    if (failure != null) {
                        reply.completeExceptionally(failure);
                    } else {
                        reply.complete(values);
                    }
                });
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        });
        reply.orTimeout(link.timeoutMillis(), TimeUnit.MILLISECONDS).whenComplete((values, failure) -> {
            if (failure instanceof TimeoutException) {
                RedisFuture<?> command = sent[0];
                if (command != null) {
                    command.cancel(false);
                }
                link.timedOut();
            } else if (failure == null) {
                link.answered();
            }
            sending.set(false);
            pump();
            if (failure != null) {
                batch.forEach(check -> check.fail(failure));
            } else {
                answer(batch, values, keys.length);
            }
        });
    }

    private static void answer(List<Waiting> batch, List<KeyValue<String, String>> values, int expected) {
        if (values == null || values.size() != expected) {
            IllegalStateException wrong = new IllegalStateException("MGET of " + expected + " keys returned "
                    + (values == null ? "nothing" : values.size() + " values"));
            batch.forEach(check -> check.fail(wrong));
            return;
        }
        int offset = 0;
        for (Waiting check : batch) {
            int size = check.keys().length;
            check.answer(values.subList(offset, offset + size));
            offset += size;
        }
    }

    private static String[] keysOf(List<Waiting> batch) {
        if (batch.size() == 1) {
            return batch.get(0).keys();
        }
        int count = 0;
        for (Waiting check : batch) {
            count += check.keys().length;
        }
        String[] keys = new String[count];
        int offset = 0;
        for (Waiting check : batch) {
            String[] own = check.keys();
            System.arraycopy(own, 0, keys, offset, own.length);
            offset += own.length;
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static RedisFuture<List<KeyValue<String, String>>>[] newHolder() {
        return new RedisFuture[1];
    }
}
