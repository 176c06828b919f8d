package ai.caracal.testkit.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;

/** The contract itself: skips are reported, only capability rows may be skipped, and a broken connector fails rows. */
class ConnectorParityContractTest {

    @Test
    @DisplayName("a row named in unsupportedRows() is reported as skipped, with the row and the missing capability")
    void unsupportedRowIsReportedAsSkipped() {
        Events tests = run(WithoutWebSockets.class, "websocketUpgradeIsVerifiedBeforeTheHandshake").testEvents();
        tests.assertStatistics(stats -> stats.started(1).aborted(1).succeeded(0).failed(0));
        assertThat(messages(tests.aborted())).containsExactly(
                "P45 skipped: WithoutWebSockets declares WebSocket upgrades unsupported on its platform");
    }

    @Test
    @DisplayName("naming a row that is not about a missing capability fails the whole class")
    void onlyCapabilityRowsMayBeSkipped() {
        Events containers = run(SkipsARealRow.class, "basicSchemeIsMissingToken").containerEvents();
        assertThat(messages(containers.failed())).singleElement().asString()
                .contains("SkipsARealRow.unsupportedRows() names [P1]")
                .contains("only [P45] may be skipped");
    }

    @Test
    @DisplayName("a connector that does not verify fails: rejections come back 200, and no claims reach the handler")
    void connectorWithoutVerificationFails() {
        Events tests = run(VerifiesNothing.class, "noAuthorizationIsMissingToken", "malformedTokenIsInvalidToken", "validMandateReachesTheHandler")
                .testEvents();
        tests.assertStatistics(stats -> stats.started(3).succeeded(0).failed(3));
        assertThat(messages(tests.failed())).hasSize(3)
                .anySatisfy(m -> assertThat(m).startsWith("status for missing_token: 200").endsWith("expected: <401> but was: <200>"))
                .anySatisfy(m -> assertThat(m).startsWith("status for invalid_token: 200").endsWith("expected: <401> but was: <200>"))
                .contains("echoed claims ==> expected: <{\"sub\":\"user-1\"}> but was: <{\"sub\":null}>");
    }

    @Test
    @DisplayName("the echo body is {\"sub\":…} with JSON escaping, or {\"sub\":null}")
    void echoBody() {
        assertThat(ParityFixture.echoBody(null)).isEqualTo("{\"sub\":null}");
        assertThat(ParityFixture.echo("user-\"1\"")).isEqualTo("{\"sub\":\"user-\\\"1\\\"\"}");
    }

    private static EngineExecutionResults run(Class<?> connector, String... rows) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(Arrays.stream(rows).map(row -> selectMethod(connector, row)).toArray(DiscoverySelector[]::new))
                .execute();
    }

    private static List<String> messages(Events events) {
        return events.stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse(""))
                .collect(Collectors.toList());
    }

    /** Declares P45 unsupported; never needs a server for that row. */
    static class WithoutWebSockets extends ConnectorParityContract {
        @Override
        protected URI start(ParityFixture fixture) {
            throw new IllegalStateException("not needed for a skipped row");
        }

        @Override
        protected void stop() {
        }

        @Override
        protected Set<String> unsupportedRows() {
            return Set.of("P45");
        }
    }

    /** Tries to skip a row every connector must pass. */
    static class SkipsARealRow extends WithoutWebSockets {
        @Override
        protected Set<String> unsupportedRows() {
            return Set.of("P1", "P45");
        }
    }

    /** The echo handler with no Caracal filter in front of it. */
    static class VerifiesNothing extends ConnectorParityContract {
        private HttpServer server;

        @Override
        protected URI start(ParityFixture fixture) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    fixture.countHandlerCall();
                    byte[] body = ParityFixture.echoBody(null).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            server.start();
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        protected void stop() {
            server.stop(0);
        }
    }
}
