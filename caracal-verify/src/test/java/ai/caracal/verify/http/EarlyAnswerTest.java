package ai.caracal.verify.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.verify.http.EarlyAnswer.Handling;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** connectors.md §10.3: what a connector does with the unread body of a request it answers itself. */
class EarlyAnswerTest {

    private static final long LIMIT = 1024;

    static Stream<Arguments> handlings() {
        return Stream.of(
                Arguments.of("no body", "HTTP/1.1", -1L, false, LIMIT, Handling.NONE),
                Arguments.of("an empty body", "HTTP/1.1", 0L, false, LIMIT, Handling.NONE),
                Arguments.of("a body within the limit", "HTTP/1.1", 10L, false, LIMIT, Handling.DRAIN),
                Arguments.of("a body of exactly the limit", "HTTP/1.1", LIMIT, false, LIMIT, Handling.DRAIN),
                Arguments.of("a chunked body (length unknown)", "HTTP/1.1", -1L, true, LIMIT, Handling.DRAIN),
                Arguments.of("HTTP/1.0 with a body", "HTTP/1.0", 10L, false, LIMIT, Handling.DRAIN),
                Arguments.of("a body announced over the limit", "HTTP/1.1", LIMIT + 1, false, LIMIT, Handling.CLOSE),
                Arguments.of("drain limit 0", "HTTP/1.1", 10L, false, 0L, Handling.CLOSE),
                Arguments.of("HTTP/2 (the stream ends on its own)", "HTTP/2.0", 10L, false, LIMIT, Handling.NONE),
                Arguments.of("an unknown protocol", null, 10L, false, LIMIT, Handling.NONE));
    }

    @ParameterizedTest(name = "{0} → {5}")
    @MethodSource("handlings")
    void handling(String name, String protocol, long contentLength, boolean chunked, long limit, Handling expected) {
        assertThat(EarlyAnswer.handling(protocol, contentLength, chunked, limit)).isEqualTo(expected);
    }

    @Test
    @DisplayName("drain reads a body to its end within the limit")
    void drainReadsToTheEnd() throws IOException {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[(int) LIMIT]);

        assertThat(EarlyAnswer.drain(body, LIMIT)).isTrue();
        assertThat(body.available()).isZero();
    }

    @Test
    @DisplayName("drain stops one byte past the limit and reports the body as too long")
    void drainStopsPastTheLimit() throws IOException {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[(int) LIMIT + 100]);

        assertThat(EarlyAnswer.drain(body, LIMIT)).isFalse();
        assertThat(body.available()).isEqualTo(99);
    }

    @Test
    @DisplayName("the drain limit defaults to 16 MiB, and a negative one is refused")
    void drainLimitOption() {
        HttpBoundary.Builder builder = HttpBoundary.builder().issuer("http://127.0.0.1:9").audience("https://api.test")
                .revocations(new InMemoryRevocationStore()).environment(name -> null);

        assertThat(builder.build().drainLimit()).isEqualTo(16L * 1024 * 1024);
        assertThat(builder.drainLimit(0).build().drainLimit()).isZero();
        assertThatThrownBy(() -> builder.drainLimit(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drainLimit must be at least 0 bytes");
    }
}
