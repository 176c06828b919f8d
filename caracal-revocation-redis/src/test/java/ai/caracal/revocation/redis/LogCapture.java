package ai.caracal.revocation.redis;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what one logger writes, DEBUG and up, while open (by default {@link RedisRevocationStore}'s). */
final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previousLevel;

    LogCapture() {
        this(RedisRevocationStore.class);
    }

    LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        previousLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
    }

    /**
     * @param level a level
     * @return the formatted messages logged at exactly that level, in order
     */
    List<String> at(Level level) {
        List<String> messages = new ArrayList<>();
        // ListAppender appends under the appender's own monitor.
        synchronized (appender) {
            for (ILoggingEvent event : appender.list) {
                if (event.getLevel() == level) {
                    messages.add(event.getFormattedMessage());
                }
            }
        }
        return messages;
    }

    /**
     * @param level a level
     * @return the names of the threads that logged at exactly that level, in order
     */
    List<String> threadsAt(Level level) {
        List<String> threads = new ArrayList<>();
        synchronized (appender) {
            for (ILoggingEvent event : appender.list) {
                if (event.getLevel() == level) {
                    threads.add(event.getThreadName());
                }
            }
        }
        return threads;
    }

    /** @return the formatted WARN messages so far */
    List<String> warnings() {
        return at(Level.WARN);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        appender.stop();
    }
}
