package ai.caracal.revocation.redis;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what {@link RedisRevocationStore} logs, DEBUG and up, while open. */
final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(RedisRevocationStore.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previousLevel;

    LogCapture() {
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

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        appender.stop();
    }
}
