package ai.caracal.testkit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogCaptureTest {

    private static final String NAME = "ai.caracal.testkit.logging.sample";

    @Test
    void recordsTheLoggerAndItsChildrenByLevel() {
        org.slf4j.Logger child = LoggerFactory.getLogger(NAME + ".child");
        try (LogCapture logs = LogCapture.of(NAME)) {
            child.info("info {}", 1);
            child.warn("warn {}", 2);
            child.error("error {}", 3);
            LoggerFactory.getLogger("ai.caracal.testkit.other").warn("elsewhere");

            assertThat(logs.warnings()).containsExactly("warn 2");
            assertThat(logs.at(Level.ERROR)).containsExactly("error 3");
            assertThat(logs.atLeast(Level.WARN)).containsExactly("warn 2", "error 3");
            assertThat(logs.eventsAtLeast(Level.WARN)).extracting(e -> e.getLoggerName())
                    .containsOnly(NAME + ".child");
            assertThat(logs.events()).hasSize(3);
            assertThat(logs.threadsAt(Level.WARN)).containsExactly(Thread.currentThread().getName());
        }
    }

    @Test
    void recordsOtherThreads() throws InterruptedException {
        try (LogCapture logs = LogCapture.of(LogCaptureTest.class)) {
            Thread thread = new Thread(() -> LoggerFactory.getLogger(LogCaptureTest.class).warn("from a worker"),
                    "capture-worker");
            thread.start();
            thread.join();

            assertThat(logs.warnings()).containsExactly("from a worker");
            assertThat(logs.threadsAt(Level.WARN)).containsExactly("capture-worker");
        }
    }

    @Test
    void aLevelIsSetWhileOpenAndRestoredOnClose() {
        Logger logger = (Logger) LoggerFactory.getLogger(NAME);
        Level before = logger.getLevel();
        try (LogCapture logs = LogCapture.of(NAME, Level.DEBUG)) {
            assertThat(logger.getLevel()).isEqualTo(Level.DEBUG);
            logger.debug("debug");
            assertThat(logs.at(Level.DEBUG)).containsExactly("debug");
        }
        assertThat(logger.getLevel()).isEqualTo(before);
    }

    @Test
    void withoutALevelDebugIsNotRecordedAndNothingIsRecordedAfterClose() {
        org.slf4j.Logger logger = LoggerFactory.getLogger(NAME);
        LogCapture logs = LogCapture.of(NAME);
        logger.debug("below the configured INFO");
        logs.close();
        logger.warn("after close");

        assertThat(logs.events()).isEmpty();
    }
}
