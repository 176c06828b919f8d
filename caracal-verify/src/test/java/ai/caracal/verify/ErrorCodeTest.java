package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** §8: the wire strings of the ten codes are fixed, and {@code fromWire} is their exact inverse. */
class ErrorCodeTest {

    static Stream<Arguments> wireNames() {
        return Stream.of(
                Arguments.of(ErrorCode.MISSING_TOKEN, "missing_token"),
                Arguments.of(ErrorCode.INVALID_TOKEN, "invalid_token"),
                Arguments.of(ErrorCode.INVALID_ZONE, "invalid_zone"),
                Arguments.of(ErrorCode.SESSION_REVOKED, "session_revoked"),
                Arguments.of(ErrorCode.DELEGATION_STALE, "delegation_stale"),
                Arguments.of(ErrorCode.INSUFFICIENT_SCOPE, "insufficient_scope"),
                Arguments.of(ErrorCode.AGENT_REQUIRED, "agent_required"),
                Arguments.of(ErrorCode.DELEGATION_REQUIRED, "delegation_required"),
                Arguments.of(ErrorCode.CHAIN_MISMATCH, "chain_mismatch"),
                Arguments.of(ErrorCode.HOP_COUNT_EXCEEDED, "hop_count_exceeded"));
    }

    @ParameterizedTest(name = "{0} <-> {1}")
    @MethodSource("wireNames")
    @DisplayName("wire() gives the contract string, toString() the same, and fromWire() maps it back")
    void wireNameRoundTrips(ErrorCode code, String wire) {
        assertThat(code.wire()).isEqualTo(wire);
        assertThat(code).hasToString(wire);
        assertThat(ErrorCode.fromWire(wire)).contains(code);
    }

    @Test
    @DisplayName("there are exactly ten codes")
    void thereAreTenCodes() {
        assertThat(ErrorCode.values()).hasSize(10);
        assertThat(wireNames().map(a -> (ErrorCode) a.get()[0])).containsExactlyInAnyOrder(ErrorCode.values());
    }

    @ParameterizedTest(name = "fromWire({0}) is empty")
    @NullSource
    @ValueSource(strings = {"", "made_up", "MISSING_TOKEN", "Missing_Token", "missing_token ", " invalid_token", "session-revoked"})
    @DisplayName("fromWire is exact: null, unknown, differently cased or padded strings give empty")
    void unknownWireNamesAreEmpty(String wire) {
        assertThat(ErrorCode.fromWire(wire)).isEmpty();
    }
}
