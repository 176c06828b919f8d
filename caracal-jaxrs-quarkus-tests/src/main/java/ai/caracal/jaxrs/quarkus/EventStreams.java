package ai.caracal.jaxrs.quarkus;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The application's producer of {@link EventsResource}'s streams: one event at once, then a tick every
 * 50 ms on its own thread until the sink is closed or a send fails, when it stops. Streams are kept by
 * the subject of their mandate so that tests can look at the sink.
 */
@ApplicationScoped
public class EventStreams {

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-streams");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Stream> bySubject = new ConcurrentHashMap<>();

    /** One stream: its sink, and whether the producer has stopped. */
    public static final class Stream {
        private final SseEventSink sink;
        private volatile ScheduledFuture<?> task;
        private volatile boolean stopped;

        Stream(SseEventSink sink) {
            this.sink = sink;
        }

        /** @return whether the application's sink reports closed */
        public boolean sinkClosed() {
            return sink.isClosed();
        }

        /** The application ends the stream itself. */
        public void close() {
            sink.close();
        }

        /** @return whether the producer has stopped (it saw the sink closed or a send fail) */
        public boolean stopped() {
            return stopped;
        }

        private void stop() {
            stopped = true;
            ScheduledFuture<?> running = task;
            if (running != null) {
                running.cancel(false);
            }
        }
    }

    void start(String subject, SseEventSink sink, Sse sse) {
        Stream stream = new Stream(sink);
        bySubject.put(subject, stream);
        sink.send(sse.newEvent("open"));
        stream.task = ticker.scheduleWithFixedDelay(() -> {
            if (sink.isClosed()) {
                stream.stop();
                return;
            }
            try {
                sink.send(sse.newEvent("tick")).whenComplete((sent, failure) -> {
                    if (failure != null) {
                        stream.stop();
                    }
                });
            } catch (IllegalStateException closed) {
                stream.stop();
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** A {@code Multi} stream's subject was cancelled, or an entity stream's writer stopped. */
    private final Map<String, Boolean> ended = new ConcurrentHashMap<>();

    void ended(String subject) {
        ended.put(subject, Boolean.TRUE);
    }

    /**
     * @param subject the {@code sub} of a {@code Multi} or entity stream's mandate
     * @return whether its producer has stopped (the {@code Multi} was cancelled, the writer failed)
     */
    public boolean producerStopped(String subject) {
        return ended.containsKey(subject);
    }

    /**
     * @param subject the {@code sub} of the stream's mandate
     * @return the stream, or {@code null} when none was opened for it
     */
    public Stream of(String subject) {
        return bySubject.get(subject);
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
    }
}
