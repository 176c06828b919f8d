package ai.caracal.cli;

import ai.caracal.devsts.DevSts;
import ai.caracal.examples.documents.DocumentsMcpServer;
import io.lettuce.core.RedisURI;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code caracal demo}: the validation table of devtools.md §4, run end to end in this process. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Run the Caracal demo in this process: a development STS, the documents-mcp MCP server protected"
                + " by Caracal (once with get_document's requirements checked in the tool, once at the boundary), and an"
                + " MCP Java SDK client that calls them with 23 requests (valid, missing, expired, tampered, wrong zone,"
                + " revoked, delegated, stale, step-up, wrong Origin, header mismatch, foreign session ...), checking each"
                + " answer against the expected one.",
            "Needs no Redis, no database and no network beyond loopback."},
        footer = {"",
            "With --redis, revocations travel over the real streams caracal.sessions.revoke and"
                + " caracal.delegations.invalidate of that Redis: the demo publishes onto them (an agent-session"
                + " revocation and two delegation-epoch bumps for --zone), as a Caracal STS would. Its own consumers"
                + " read through a consumer group of their own and keep their keys under a prefix of their own; both"
                + " are removed when the demo ends. Consumers in other groups (for example 'caracal serve --redis' in"
                + " the default groups) receive and apply every event the demo published.",
            "",
            "Exit codes: 0 every row passed, 3 at least one row failed, 2 usage error,",
            "            1 runtime failure (port in use, Redis unreachable)."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Zone of the dev STS, the server and the mandates (default: ${DEFAULT-VALUE}).")
    private String zone = DevSts.DEFAULT_ZONE;

    @Option(names = {"--audience", "--aud"}, paramLabel = "AUDIENCE", description = "Audience of the demo server (default: ${DEFAULT-VALUE}).")
    private String audience = DocumentsMcpServer.DEFAULT_AUDIENCE;

    @Option(names = "--sts-port", paramLabel = "PORT", description = "Dev STS port (default: 0, any free port).")
    private int stsPort;

    @Option(names = "--mcp-port", paramLabel = "PORT", description = "MCP server port (default: 0, any free port).")
    private int mcpPort;

    @Option(names = {"--output", "--format"}, paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
    private String format = "table";

    @Option(names = "--redis", paramLabel = "URL",
            description = "Keep revocations in this Redis (a Redis store and stream consumers) instead of in memory;"
                    + " the dev STS then only publishes onto the streams. No REDIS_URL default.")
    private String redis;

    @Option(names = "--keep-running", description = "After the table, keep both servers up, print export lines for"
            + " CARACAL_STS_URL and CARACAL_ZONE_ID, and wait for Ctrl-C.")
    private boolean keepRunning;

    @Override
    public Integer call() throws InterruptedException {
        checkPort(stsPort, "--sts-port");
        checkPort(mcpPort, "--mcp-port");
        if (zone.isEmpty() || zone.codePointCount(0, zone.length()) > 128) {
            throw usage("--zone must be 1 to 128 characters");
        }
        if (audience.isBlank()) {
            throw usage("--audience must not be blank");
        }
        if (!format.equals("table") && !format.equals("json")) {
            throw usage("--output must be table or json, not '" + format + "'");
        }
        if (redis != null) {
            try {
                RedisURI.create(redis);
            } catch (RuntimeException e) {
                throw usage("--redis is not a Redis URL (expected redis://host:port)");
            }
        }
        Demo.Settings settings = new Demo.Settings(zone, audience, stsPort, mcpPort, format.equals("json"), redis, keepRunning, UnaryOperator.identity());
        return Demo.run(settings, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private void checkPort(int port, String option) {
        if (port < 0 || port > 65_535) {
            throw usage(option + " must be between 0 and 65535");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
