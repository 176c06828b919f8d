package ai.caracal.jaxrs;

import jakarta.ws.rs.core.Application;
import java.net.URI;

/** A Jakarta REST runtime serving one application on 127.0.0.1, for the runtime-neutral contracts. */
public interface JaxrsRuntime {

    /**
     * @param application its singletons and classes are the application (filters and resources)
     * @return the application's base URI, for example {@code http://127.0.0.1:41234}
     * @throws Exception when the runtime cannot start
     */
    URI start(Application application) throws Exception;

    /**
     * Stops what {@link #start} started.
     *
     * @throws Exception when it cannot stop
     */
    void stop() throws Exception;
}
