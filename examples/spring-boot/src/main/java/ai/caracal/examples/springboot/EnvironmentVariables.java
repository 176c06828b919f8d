package ai.caracal.examples.springboot;

import java.util.function.Function;
import org.springframework.core.env.PropertySource;

/**
 * The environment variables as Spring sees them, read through a function rather than
 * {@code System.getenv()}, so whoever starts the example decides what its environment is. An empty
 * value counts as unset.
 */
final class EnvironmentVariables extends PropertySource<Function<String, String>> {

    /** The property source's name; Spring Boot claims {@code systemEnvironment} for a map of its own. */
    static final String NAME = "environmentVariables";

    EnvironmentVariables(Function<String, String> env) {
        super(NAME, env);
    }

    @Override
    public Object getProperty(String name) {
        String value = getSource().apply(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
