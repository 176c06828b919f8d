package ai.caracal.testkit.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records the events of one Logback logger and its children, from every thread, from creation until
 * {@link #close()}. Read it after the threads that log have finished (or poll it with
 * {@link ai.caracal.testkit.Eventually}): reads take a snapshot and never block a logging thread for long.
 *
 * <p>Needs {@code ch.qos.logback:logback-classic} as the SLF4J binding of the tests (an optional
 * dependency of the test kit).
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.of("ai.caracal.verify")) {
 *     verifier.authenticate(token);
 *     assertThat(logs.warnings()).singleElement().asString().contains("keys_unavailable");
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previousLevel;
    private final boolean levelChanged;

    private LogCapture(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
        this.previousLevel = logger.getLevel();
        this.levelChanged = level != null;
        appender.start();
        if (levelChanged) {
            logger.setLevel(level);
        }
        logger.addAppender(appender);
    }

    /**
     * Records at the logger's configured level.
     *
     * @param loggerName a logger name, for example {@code ai.caracal} or {@code ai.caracal.verify}
     * @return a capture that records from now until closed
     */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName, null);
    }

    /**
     * Records at the logger's configured level.
     *
     * @param source the class whose logger (named after the class) to record
     * @return a capture that records from now until closed
     */
    public static LogCapture of(Class<?> source) {
        return of(source.getName());
    }

    /**
     * Sets the logger's level while open (so, for example, DEBUG events are recorded), and restores the
     * previous level on {@link #close()}.
     *
     * @param loggerName a logger name
     * @param level      the level the logger logs at while the capture is open
     * @return a capture that records from now until closed
     */
    public static LogCapture of(String loggerName, Level level) {
        return new LogCapture(loggerName, Objects.requireNonNull(level, "level"));
    }

    /**
     * Sets the logger's level while open, and restores the previous level on {@link #close()}.
     *
     * @param source the class whose logger (named after the class) to record
     * @param level  the level the logger logs at while the capture is open
     * @return a capture that records from now until closed
     */
    public static LogCapture of(Class<?> source, Level level) {
        return of(source.getName(), level);
    }

    /** @return every event recorded so far, in order (a snapshot) */
    public List<ILoggingEvent> events() {
        // ListAppender appends under the appender's own monitor.
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /**
     * @param level a level
     * @return the events recorded at that level or above, in order
     */
    public List<ILoggingEvent> eventsAtLeast(Level level) {
        return select(event -> event.getLevel().isGreaterOrEqual(level), Function.identity());
    }

    /**
     * @param level a level
     * @return the formatted messages logged at exactly that level, in order
     */
    public List<String> at(Level level) {
        return select(event -> event.getLevel() == level, ILoggingEvent::getFormattedMessage);
    }

    /**
     * @param level a level
     * @return the formatted messages logged at that level or above, in order
     */
    public List<String> atLeast(Level level) {
        return select(event -> event.getLevel().isGreaterOrEqual(level), ILoggingEvent::getFormattedMessage);
    }

    /**
     * @param level a level
     * @return the names of the threads that logged at exactly that level, in order
     */
    public List<String> threadsAt(Level level) {
        return select(event -> event.getLevel() == level, ILoggingEvent::getThreadName);
    }

    /** @return the formatted messages logged at exactly WARN, in order ({@code at(Level.WARN)}) */
    public List<String> warnings() {
        return at(Level.WARN);
    }

    private <T> List<T> select(Predicate<ILoggingEvent> filter, Function<ILoggingEvent, T> map) {
        return events().stream().filter(filter).map(map).toList();
    }

    /** Stops recording and restores the logger's level if this capture changed it. */
    @Override
    public void close() {
        logger.detachAppender(appender);
        if (levelChanged) {
            logger.setLevel(previousLevel);
        }
        appender.stop();
    }
}
