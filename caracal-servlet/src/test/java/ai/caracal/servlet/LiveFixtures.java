package ai.caracal.servlet;

import ai.caracal.testkit.TestIssuer;
import ai.caracal.verify.http.LiveConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a live-connection test opens (servers, registries), closed after the test in the order opened; and
 * the registry those tests use: the issuer's store, re-checked every 100 ms.
 */
final class LiveFixtures implements AutoCloseable {

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** @return {@code resource}, closed with these fixtures */
    <T extends AutoCloseable> T add(T resource) {
        opened.add(resource);
        return resource;
    }

    /**
     * @param issuer  the test issuer, whose store the registry checks
     * @param options further settings (a clock, another interval)
     * @return a registry, closed with these fixtures
     */
    LiveConnections registry(TestIssuer issuer, Function<LiveConnections.Builder, LiveConnections.Builder> options) {
        return add(options.apply(LiveConnections.builder().revocations(issuer.revocations())
                .recheckInterval(Duration.ofMillis(100))).build());
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
    }
}
