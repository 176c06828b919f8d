package ai.caracal.bench.load;

import ai.caracal.examples.servlet.ServletExample;
import ai.caracal.testkit.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the servlet example (Jetty 12 + {@code CaracalFilter}) against a loopback test issuer for an
 * external load generator, and prints three lines: the base URL, a repeat-use mandate with
 * {@code documents:read}, and {@code ready}. The same server answers {@code GET /api/documents}
 * (verified) and {@code GET /healthz} (excluded), so the two can be compared on one process.
 * Runs until killed.
 */
public final class HttpThroughputServer {

    private HttpThroughputServer() {
    }

    /**
     * @param args ignored
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        TestIssuer issuer = TestIssuer.start("zone_bench", "resource://examples");
        issuer.clock().set(Instant.now());
        Map<String, String> env = Map.of("CARACAL_STS_URL", issuer.url(), "CARACAL_ZONE_ID", "zone_bench", "PORT", "0");
        ServletExample example = ServletExample.start(env::get);
        String token = issuer.mint().scope("documents:read").agentSession().expiresIn(Duration.ofHours(1)).sign();
        System.out.println(example.uri());
        System.out.println(token);
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
