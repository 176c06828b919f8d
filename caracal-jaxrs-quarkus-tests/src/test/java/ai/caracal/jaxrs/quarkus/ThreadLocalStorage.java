package ai.caracal.jaxrs.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * An application whose OpenTelemetry uses its default, thread-local context storage instead of Quarkus'
 * per-request one, for {@link QuarkusThreadLocalStorageTest}: {@code
 * io.opentelemetry.context.contextStorageProvider=default}, read once when the application's OpenTelemetry
 * API first needs its storage, set before the application starts and cleared when it stops.
 */
public class ThreadLocalStorage implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DefaultStorage.class));
    }

    /** Sets the system property for the application's life. */
    public static class DefaultStorage implements QuarkusTestResourceLifecycleManager {

        static final String PROPERTY = "io.opentelemetry.context.contextStorageProvider";

        @Override
        public Map<String, String> start() {
            System.setProperty(PROPERTY, "default");
            return Map.of();
        }

        @Override
        public void stop() {
            System.clearProperty(PROPERTY);
        }
    }
}
