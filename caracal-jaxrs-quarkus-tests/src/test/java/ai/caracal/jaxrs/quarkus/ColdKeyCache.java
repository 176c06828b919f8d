package ai.caracal.jaxrs.quarkus;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A fresh application (so a cold, private key cache) whose key set fetch may wait up to 60 s: a held
 * gate then holds verification, never the fetch's own timeout.
 */
public class ColdKeyCache implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("caracal.jwks-fetch-timeout", "PT60S");
    }
}
