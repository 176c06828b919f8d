package ai.caracal.cli;

import java.io.PrintStream;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.slf4j.event.Level;
import picocli.CommandLine;

/**
 * What the {@code caracal} command logs, and where (devtools.md D17). Every log line of the process
 * goes through here: SLF4J through {@link CliLoggerProvider}, and {@code java.util.logging} (Tomcat,
 * the JDK's HTTP client and server) through {@link JulToCliLogging}.
 *
 * <ul>
 *   <li>Caracal's own loggers ({@code ai.caracal}): WARN and above, DEBUG and above with {@code -v}.</li>
 *   <li>Every other logger (Jetty, Tomcat, Netty, Lettuce, the MCP SDK, Spring, the JDK): WARN and above,
 *       whatever the flags and whatever JVM properties ask for ({@code org.slf4j.simpleLogger.*},
 *       {@code logging.level.*}, {@code java.util.logging.config.file}, {@code jdk.httpclient.HttpClient.log}):
 *       below that they log request lines and headers, and so bearer tokens.</li>
 *   <li>Spring Boot's reports of a failed start are left out: the command reports it itself.</li>
 * </ul>
 *
 * <p>Lines go to the current {@link System#err} as {@code LEVEL ShortName - message}. The rules are
 * read on every call, so {@code -v} applies to loggers created before the flag was parsed.
 * Thread-safe.
 */
final class CliLogging {

    private static final String OWN = "ai.caracal";
    private static final Set<String> SILENCED = Set.of(
            "org.springframework.boot.SpringApplication",
            "org.springframework.boot.web.embedded.tomcat.TomcatStarter",
            "org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext");
    private static final Object OUTPUT = new Object();

    private static volatile boolean verbose;

    private CliLogging() {
    }

    /**
     * Resets the rules for one run of the command: not verbose, {@code java.util.logging} routed here,
     * and the third-party switches that print around logging turned off: picocli's trace (which echoes
     * arguments, tokens included), the JDK HTTP client's internal debug output, and Spring Boot's
     * logging system (which would reconfigure {@code java.util.logging} from {@code logging.level.*}).
     */
    static void install() {
        verbose = false;
        CommandLine.tracer().setLevel(CommandLine.TraceLevel.OFF);
        System.clearProperty("jdk.internal.httpclient.debug");
        System.clearProperty("jdk.internal.httpclient.hpack.debug");
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new JulToCliLogging());
    }

    /** @param on whether Caracal's own loggers log at DEBUG ({@code -v}) */
    static void verbose(boolean on) {
        verbose = on;
    }

    /** @return whether a line of this level from this logger is written */
    static boolean enabled(String logger, Level level) {
        if (SILENCED.contains(logger)) {
            return false;
        }
        Level threshold = verbose && isOwn(logger) ? Level.DEBUG : Level.WARN;
        return level.toInt() >= threshold.toInt();
    }

    /** Writes one line (and the stack trace of {@code thrown}, if any) to the current standard error. */
    static void write(Level level, String logger, String message, Throwable thrown) {
        String line = level + " " + shortName(logger) + " - " + message;
        synchronized (OUTPUT) {
            PrintStream err = System.err;
            err.println(line);
            if (thrown != null) {
                thrown.printStackTrace(err);
            }
            err.flush();
        }
    }

    private static boolean isOwn(String logger) {
        return logger.equals(OWN) || logger.startsWith(OWN + ".");
    }

    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }
}
