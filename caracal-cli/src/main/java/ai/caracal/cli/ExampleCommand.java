package ai.caracal.cli;

import ai.caracal.examples.jaxrs.JaxrsExample;
import ai.caracal.examples.jdkhttp.JdkHttpExample;
import ai.caracal.examples.servlet.ServletExample;
import ai.caracal.examples.springboot.SpringBootExample;
import ai.caracal.examples.webflux.WebFluxExample;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code caracal example <name>}: runs one of the connector examples until interrupted. */
@Command(name = "example",
        mixinStandardHelpOptions = true,
        description = "Run a connector example protecting the same small API: GET /healthz (open), GET /api/documents"
                + " (scope documents:read), POST /api/payouts (scope billing:payout + a delegated mandate), GET /api/whoami.",
        footer = {"",
            "Configuration comes only from the environment: CARACAL_STS_URL (required), CARACAL_ZONE_ID,"
                + " CARACAL_AUDIENCE (default resource://examples), PORT (default 8080, 0 picks a free port),"
                + " REDIS_URL (optional; without it, an in-memory revocation store).",
            "",
            "Example:",
            "  CARACAL_STS_URL=http://127.0.0.1:8787 CARACAL_ZONE_ID=zone_dev \\",
            "      caracal example servlet"})
final class ExampleCommand implements Callable<Integer> {

    @ParentCommand
    private Caracal root;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "servlet, jdkhttp, jaxrs, webflux or spring-boot")
    private String name;

    @Override
    public Integer call() throws Exception {
        checkEnvironment();
        AutoCloseable example;
        URI uri;
        try {
            switch (name) {
                case "servlet":
                    ServletExample servlet = ServletExample.start(root::envOrNull);
                    example = servlet;
                    uri = servlet.uri();
                    break;
                case "jdkhttp":
                    JdkHttpExample jdk = JdkHttpExample.start(root::envOrNull);
                    example = jdk;
                    uri = jdk.uri();
                    break;
                case "jaxrs":
                    JaxrsExample jaxrs = JaxrsExample.start(root::envOrNull);
                    example = jaxrs;
                    uri = jaxrs.uri();
                    break;
                case "webflux":
                    WebFluxExample webflux = WebFluxExample.start(root::envOrNull);
                    example = webflux;
                    uri = webflux.uri();
                    break;
                case "spring-boot":
                    SpringBootExample spring = SpringBootExample.start(root::envOrNull);
                    example = spring;
                    uri = spring.uri();
                    break;
                default:
                    throw new ParameterException(spec.commandLine(), "unknown example " + name + " (servlet, jdkhttp, jaxrs, webflux or spring-boot)");
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            close(example);
            stopped.countDown();
        }, "caracal-example-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("listening on " + uri);
        spec.commandLine().getOut().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(example);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: the JVM is stopping anyway.
            }
        }
        return Caracal.OK;
    }

    /**
     * Refuses a malformed {@code PORT} or {@code REDIS_URL} with a sentence naming the variable, before
     * any example parses them (their own parsers would answer with a parser's exception text). The
     * Redis URL is never repeated: it may hold a password.
     */
    private void checkEnvironment() {
        String port = root.envOrNull("PORT");
        if (port != null && !isPort(port.strip())) {
            throw new ParameterException(spec.commandLine(), "PORT must be a port number from 0 to 65535 (0 picks a free"
                    + " port), not '" + printable(port) + "'");
        }
        String redisUrl = root.envOrNull("REDIS_URL");
        if (redisUrl != null) {
            try {
                RedisURI.create(redisUrl.strip());
            } catch (RuntimeException e) {
                throw new ParameterException(spec.commandLine(),
                        "REDIS_URL is not a Redis URL (expected redis://host:port, rediss://host:port or redis-socket://path)");
            }
        }
    }

    private static boolean isPort(String text) {
        return text.matches("\\d{1,5}") && Integer.parseInt(text) <= 65535;
    }

    private static String printable(String value) {
        String shown = value.length() > 20 ? value.substring(0, 20) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static void close(AutoCloseable example) {
        try {
            example.close();
        } catch (Exception ignored) {
            // Stopping: nothing left to report to.
        }
    }
}
