package ai.caracal.cli;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.event.Level;

/**
 * The one {@code java.util.logging} handler of the command line (Tomcat, the JDK's HTTP client and
 * server log there): each record is held to {@link CliLogging}'s rules, whatever level its logger was
 * set to. Thread-safe.
 */
final class JulToCliLogging extends Handler {

    private final SimpleFormatter messages = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        Level level = level(record.getLevel().intValue());
        if (CliLogging.enabled(logger, level)) {
            CliLogging.write(level, logger, messages.formatMessage(record), record.getThrown());
        }
    }

    private static Level level(int value) {
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR;
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARN;
        }
        if (value >= java.util.logging.Level.CONFIG.intValue()) {
            return Level.INFO;
        }
        return value >= java.util.logging.Level.FINE.intValue() ? Level.DEBUG : Level.TRACE;
    }

    @Override
    public void flush() {
        System.err.flush();
    }

    @Override
    public void close() {
        // Nothing of its own to release.
    }
}
