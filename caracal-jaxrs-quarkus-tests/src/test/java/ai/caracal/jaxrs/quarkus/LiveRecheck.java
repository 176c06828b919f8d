package ai.caracal.jaxrs.quarkus;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** An application whose live connections are re-checked every 100 ms, so that a revocation ends a stream soon. */
public class LiveRecheck implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("caracal.live-recheck-interval", "PT0.1S");
    }
}
