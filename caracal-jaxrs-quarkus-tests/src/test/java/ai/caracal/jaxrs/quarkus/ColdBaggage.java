package ai.caracal.jaxrs.quarkus;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * {@link ColdKeyCache} for {@link QuarkusBaggageTest}, in an application of its own (so its key cache is
 * cold whichever test class ran before), with {@code /baggage/public} excluded as well.
 */
public class ColdBaggage implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("caracal.jwks-fetch-timeout", "PT60S", "caracal.exclude", "/healthz,/baggage/public");
    }
}
