package ai.caracal.cli;

import ai.caracal.examples.documents.DocumentsMcpServer;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.ConsumerGroupPolicyException;
import ai.caracal.revocation.redis.RedisRevocations;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caracal serve}: runs the {@code documents-mcp} example server until SIGTERM or Ctrl-C, when a
 * shutdown hook stops the server and the consumer runner.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the documents-mcp example MCP server (tools search, get_document, whoami) on"
                + " /mcp, protected by Caracal: every request is verified before any tool runs.",
        footer = {"",
            "Endpoints:",
            "  /mcp                                       MCP Streamable HTTP, verified",
            "  /.well-known/oauth-protected-resource/mcp  RFC 9728 metadata",
            "  /healthz                                   {\"status\":\"ok\"}, not verified",
            "",
            "A request whose Origin header is not this server's own (or --resource-url's) is refused with 403.",
            "With --tool-checks boundary (the default), Mcp-Method / Mcp-Name headers that disagree with the",
            "JSON-RPC body are refused with 400 (-32020).",
            "",
            "Prints 'listening on http://<host>:<port>/mcp' when ready.",
            "SIGTERM or Ctrl-C stops the server and the Redis consumers, which leave their groups.",
            "A consumer group records whether its members check signatures; joining it with the other"
                + " setting is refused (exit 2): use the same --stream-hmac-key everywhere, or another --consumer-group.",
            "Exit codes: 1 runtime failure (the port cannot be bound),",
            "            2 usage or configuration error.",
            "",
            "Example:",
            "  export CARACAL_STS_URL=http://127.0.0.1:8787 CARACAL_ZONE_ID=zone_dev",
            "  caracal serve --redis redis://127.0.0.1:6379"})
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    /** How long start-up waits for the consumers to join their groups before serving anyway. */
    static final Duration JOIN_WAIT = Duration.ofSeconds(10);

    @ParentCommand
    private Caracal root;

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port to bind, 0 for any free one (default: ${DEFAULT-VALUE}).")
    private int port = 8080;

    @Option(names = {"--issuer", "--sts"}, paramLabel = "URL", description = "STS base URL (default: env CARACAL_STS_URL; required).")
    private String issuer;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Zone mandates must belong to (default: env CARACAL_ZONE_ID).")
    private String zone;

    @Option(names = {"--audience", "--aud"}, paramLabel = "AUDIENCE", description = {"This server's audience.", "Default: ${DEFAULT-VALUE}."})
    private String audience = DocumentsMcpServer.DEFAULT_AUDIENCE;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Scope every request needs (repeatable; default: tool:call).")
    private List<String> scopes = new ArrayList<>();

    @Option(names = "--require-agent", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Require an agent session (agent_session_id); on by default.")
    private boolean requireAgent;

    @Option(names = "--redis", paramLabel = "URL",
            description = "Revocations from this Redis: the Redis store plus consumers of both streams (default: env REDIS_URL)."
                    + " Without it, revocations live in memory in this process.")
    private String redis;

    @Option(names = "--consumer", paramLabel = "NAME", description = "Consumer name in both groups (default: <hostname>-<pid>).")
    private String consumer;

    @Option(names = "--consumer-group", paramLabel = "GROUP",
            description = {"Consumer group on both streams (default: resource-revocation and resource-delegation-invalidation).",
                "Every member of a group must use the same stream keys or none; a member that differs is refused."})
    private String consumerGroup;

    @Option(names = "--stream-hmac-key", paramLabel = "HEX", split = ",",
            description = {"Stream signature key, hex, at least 32 bytes (default: env STREAMS_HMAC_KEY, comma-separated).",
                "Repeatable or comma-separated for a key rotation: an entry signed with any of them is accepted."})
    private List<String> streamHmacKeys = new ArrayList<>();

    @Option(names = "--resource-url", paramLabel = "URL",
            description = "Public URL of /mcp: the RFC 9728 resource and metadata URL (default: http://<host>:<port>/mcp).")
    private String resourceUrl;

    @Option(names = "--no-www-authenticate", description = "Send no WWW-Authenticate challenge with rejections.")
    private boolean noWwwAuthenticate;

    @Option(names = "--tool-checks", paramLabel = "WHERE",
            description = {"Where get_document's own requirements are checked (default: ${DEFAULT-VALUE}):",
                "boundary  an HTTP 401/403 before the tool runs; it also needs the scope documents:read (a 403",
                "          step-up challenge names it), and tools/list hides it from mandates that cannot call it;",
                "in-tool   an HTTP 200 tool result with isError and structuredContent.error, as the seeds' example."})
    private String toolChecks = "boundary";

    @Override
    public Integer call() throws InterruptedException {
        String issuerUrl = root.defaults().issuer(issuer)
                .orElseThrow(() -> usage("an issuer is required: pass --issuer or set CARACAL_STS_URL"));
        String redisUrl = redis != null ? redis : root.env("REDIS_URL").orElse(null);
        if (consumer != null && consumer.isBlank()) {
            throw usage("--consumer must not be blank");
        }
        if (!streamHmacKeys.isEmpty() && redisUrl == null) {
            throw usage("--stream-hmac-key needs --redis (or REDIS_URL): it is the key of the Redis streams");
        }
        if (consumerGroup != null && (consumerGroup.isBlank() || redisUrl == null)) {
            throw usage(consumerGroup.isBlank() ? "--consumer-group must not be blank"
                    : "--consumer-group needs --redis (or REDIS_URL): it is a group of the Redis streams");
        }

        DocumentsMcpServer.ToolChecks checks = switch (toolChecks) {
            case "boundary" -> DocumentsMcpServer.ToolChecks.BOUNDARY;
            case "in-tool" -> DocumentsMcpServer.ToolChecks.IN_TOOL;
            default -> throw usage("--tool-checks must be boundary or in-tool, not '" + toolChecks + "'");
        };
        RedisRevocations redisRevocations = redisUrl == null ? null : redis(redisUrl);
        RevocationStore store = redisRevocations != null ? redisRevocations.store() : new InMemoryRevocationStore();
        Runnable closeRevocations = redisRevocations != null ? redisRevocations::close : () -> { };
        DocumentsMcpServer server;
        try {
            server = DocumentsMcpServer.builder()
                    .host(host).port(port).issuer(issuerUrl)
                    .zoneId(root.defaults().zoneId(zone).orElse(null))
                    .audience(audience)
                    .requiredScopes(scopes.isEmpty() ? List.of(DocumentsMcpServer.DEFAULT_SCOPE) : scopes)
                    .requireAgent(requireAgent)
                    .revocations(store)
                    .resourceUrl(resourceUrl)
                    .wwwAuthenticate(!noWwwAuthenticate)
                    .toolChecks(checks)
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            closeRevocations.run();
            throw usage(e.getMessage());
        }
        if (redisUrl == null) {
            log.warn("No --redis (or REDIS_URL): revocations are kept in memory in this process only;"
                    + " use Redis in production so that every replica sees them.");
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            closeRevocations.run();
            throw e;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } finally {
                closeRevocations.run();
                stopped.countDown();
            }
        }, "caracal-serve-stop"));
        spec.commandLine().getOut().println("listening on " + server.mcpUrl());
        spec.commandLine().getOut().flush();
        stopped.await();
        return Caracal.OK;
    }

    private RedisRevocations redis(String url) throws InterruptedException {
        try {
            RedisURI.create(url);
        } catch (RuntimeException e) {
            throw usage("--redis is not a Redis URL (expected redis://host:port)");
        }
        List<byte[]> keys = HexKeys.fromFlagsOrEnv(streamHmacKeys, root.env("STREAMS_HMAC_KEY"), spec.commandLine());
        RedisRevocations.Builder builder = RedisRevocations.builder(url)
                .consumerName(consumer != null ? consumer : RedisRevocations.defaultConsumerName())
                .streamHmacKeysHex(HexKeys.toHex(keys));
        if (consumerGroup != null) {
            builder.consumerGroup(consumerGroup);
        }
        RedisRevocations started = builder.start();
        try {
            // Refuse to start when a group records the other signature policy (state.md S70). With Redis
            // still unreachable after this wait, the consumers keep retrying and refuse later, in the log.
            if (!started.consumers().awaitJoined(JOIN_WAIT)) {
                log.warn("The Redis stream consumers have not joined their groups within {} s; they keep retrying",
                        JOIN_WAIT.toSeconds());
            }
        } catch (ConsumerGroupPolicyException e) {
            started.close();
            throw usage(e.getMessage());
        } catch (InterruptedException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
