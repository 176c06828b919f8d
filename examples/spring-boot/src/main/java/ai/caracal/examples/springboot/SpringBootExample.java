package ai.caracal.examples.springboot;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.web.context.support.StandardServletEnvironment;

/**
 * A small API protected by {@code caracal-spring-boot-starter}: Spring MVC controllers on embedded
 * Tomcat (Spring Boot 3.5), configured by {@code application.yml} from the environment only:
 * {@code CARACAL_STS_URL}, {@code CARACAL_ZONE_ID}, {@code CARACAL_AUDIENCE} (default
 * {@code resource://examples}), {@code PORT} (default 8080, 0 picks a free port), optional
 * {@code REDIS_URL} (and {@code STREAMS_HMAC_KEY}).
 *
 * <ul>
 *   <li>{@code GET /healthz}: excluded ({@code caracal.exclude}), {@code {"status":"ok"}}</li>
 *   <li>{@code GET /api/documents}: scope {@code documents:read} (a {@code caracal.routes} rule)</li>
 *   <li>{@code POST /api/payouts}: scope {@code billing:payout} (a {@code caracal.routes} rule) and a
 *       delegated mandate ({@code @CaracalRequires} on the handler)</li>
 *   <li>{@code GET /api/whoami}: any valid mandate; echoes {@code sub}, {@code zone_id}, {@code scope}
 *       from {@code @CaracalClaims Claims}</li>
 * </ul>
 */
public final class SpringBootExample implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpringBootExample.class);

    private final ConfigurableApplicationContext context;
    private final URI uri;

    private SpringBootExample(ConfigurableApplicationContext context, URI uri) {
        this.context = context;
        this.uri = uri;
    }

    /**
     * Runs the example until the JVM stops.
     *
     * @param args ignored: configuration comes from the environment
     */
    public static void main(String[] args) {
        SpringBootExample example = start(System::getenv);
        Runtime.getRuntime().addShutdownHook(new Thread(example::close, "example-stop"));
        System.out.println("listening on " + example.uri());
    }

    /**
     * Starts the application; it runs until {@link #close()}.
     *
     * @param env where the configuration is read from ({@code System::getenv} in production); Spring
     *            sees no other environment variables
     * @return the running example
     * @throws IllegalArgumentException for a configuration error (for example no
     *                                  {@code CARACAL_STS_URL}), with the starter's message
     * @throws RuntimeException         when the application cannot start for another reason (Spring
     *                                  Boot has already logged it)
     */
    public static SpringBootExample start(Function<String, String> env) {
        Objects.requireNonNull(env, "env");
        String redisUrl = env.apply("REDIS_URL");
        boolean redis = redisUrl != null && !redisUrl.isBlank();
        if (!redis) {
            log.warn("REDIS_URL is not set: using an in-memory revocation store (development only; replicas will not share revocations)");
        }
        StandardServletEnvironment environment = new StandardServletEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new EnvironmentVariables(env));
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);

        SpringApplication application = new SpringApplication(ExampleApplication.class);
        application.setEnvironment(environment);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        // Whoever starts the example closes it (main's hook, the caracal command, a test).
        application.setRegisterShutdownHook(false);
        // The starter has no silent in-memory default: the example picks it when there is no Redis.
        application.setDefaultProperties(Map.of("caracal.revocation.store", redis ? "redis" : "memory"));
        ConfigurableApplicationContext context;
        try {
            context = application.run();
        } catch (RuntimeException e) {
            throw configurationError(e);
        }
        String port = context.getEnvironment().getProperty("local.server.port");
        return new SpringBootExample(context, URI.create("http://127.0.0.1:" + port));
    }

    /** @return the base URL */
    public URI uri() {
        return uri;
    }

    /** Stops the application; idempotent. */
    @Override
    public void close() {
        context.close();
    }

    /** Bean creation wraps the starter's configuration errors several times over: surface the message. */
    private static RuntimeException configurationError(RuntimeException failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause instanceof IllegalArgumentException ? new IllegalArgumentException(cause.getMessage(), failure) : failure;
    }
}
