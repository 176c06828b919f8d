package ai.caracal.verify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Records the events of one logger (and its children) while open. */
final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    /**
     * @param loggerName a logger name, for example {@code ai.caracal.verify}
     * @return a capture that records from now until closed
     */
    static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** @return how many WARN events were recorded */
    long warnings() {
        return appender.list.stream().filter(event -> event.getLevel() == Level.WARN).count();
    }

    /** @return the formatted messages of the WARN events recorded, in order */
    java.util.List<String> warningMessages() {
        return appender.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
