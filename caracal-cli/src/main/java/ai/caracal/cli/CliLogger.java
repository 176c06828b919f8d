package ai.caracal.cli;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One named SLF4J logger of the command line; the rules live in {@link CliLogging}. Thread-safe. */
final class CliLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    CliLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return CliLogging.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return CliLogging.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return CliLogging.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return CliLogging.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return CliLogging.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable thrown) {
        if (CliLogging.enabled(name, level)) {
            CliLogging.write(level, name, MessageFormatter.basicArrayFormat(pattern, arguments), thrown);
        }
    }
}
