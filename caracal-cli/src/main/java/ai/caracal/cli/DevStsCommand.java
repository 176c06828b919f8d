package ai.caracal.cli;

import ai.caracal.devsts.DevSts;
import ai.caracal.devsts.ZoneInfo;
import ai.caracal.verify.CaracalEnvironment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code caracal dev-sts}: runs the development issuer until interrupted. */
@Command(name = "dev-sts",
        mixinStandardHelpOptions = true,
        description = "Run a DEVELOPMENT issuer: per-zone ES256 keys, a JWKS, and endpoints to mint, revoke,"
                + " invalidate delegations and rotate keys. Not a Caracal STS; loopback only unless --allow-remote.",
        footer = {"",
            "Endpoints:",
            "  GET  /.well-known/jwks.json?zone_id=Z",
            "  POST /dev/mint, /dev/revoke, /dev/delegations/invalidate",
            "  POST /dev/zones/{zone}/rotate",
            "  GET  /dev/zones, /health",
            "",
            "Without --redis there is no store to revoke into: start it with --redis to drive"
                + " 'caracal serve --redis'. Stop it with Ctrl-C."})
final class DevStsCommand implements Callable<Integer> {

    static final String DEFAULT_URL = "http://127.0.0.1:8787";

    @ParentCommand
    private Caracal root;

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", description = "Bind address (default 127.0.0.1).")
    private String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default 8787; 0 picks a free one).")
    private int port = 8787;

    @Option(names = {"--issuer", "--sts"}, paramLabel = "URL", description = "The iss value and base URL (default http://<host>:<port>).")
    private String issuer;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Zone with a key at start-up (repeatable; default zone_dev).")
    private List<String> zones = new ArrayList<>();

    @Option(names = "--key-dir", paramLabel = "DIR", description = "Persist keys as <dir>/<zone>/<kid>.pem and reload them.")
    private Path keyDir;

    @Option(names = "--redis", paramLabel = "URL", description = "Publish revocations and invalidations onto the Redis streams (default: env REDIS_URL).")
    private String redis;

    @Option(names = "--stream-hmac-key", paramLabel = "HEX", split = ",",
            description = "Sign published events (default: env STREAMS_HMAC_KEY). Repeatable or comma-separated"
                    + " during a key rotation: the first key signs.")
    private List<String> streamHmacKeys = new ArrayList<>();

    @Option(names = "--default-ttl", paramLabel = "SECONDS", description = "Default mandate lifetime, 1-900 (default 900).")
    private int defaultTtl = 900;

    @Option(names = "--allow-remote", description = "Allow binding a non-loopback address.")
    private boolean allowRemote;

    @Override
    public Integer call() {
        if (defaultTtl < 1 || defaultTtl > 900) {
            throw new ParameterException(spec.commandLine(), "--default-ttl must be between 1 and 900 seconds (the STS cap for resource mandates)");
        }
        PrintWriter out = spec.commandLine().getOut();
        String redisUrl = redis != null ? redis : root.env("REDIS_URL").orElse(null);
        List<byte[]> keys = HexKeys.fromFlagsOrEnv(streamHmacKeys, root.env("STREAMS_HMAC_KEY"), spec.commandLine());
        DevSts.Builder builder = DevSts.builder().host(host).port(port)
                .zones(zones.isEmpty() ? List.of(DevSts.DEFAULT_ZONE) : zones)
                .defaultTtl(Duration.ofSeconds(defaultTtl))
                .allowRemote(allowRemote)
                .requestLog(line -> {
                    out.println(line);
                    out.flush();
                });
        DevSts sts;
        try {
            if (issuer != null) {
                builder.issuer(CaracalEnvironment.issuerText(issuer).orElse(issuer));
            }
            if (keyDir != null) {
                builder.keyDir(keyDir);
            }
            if (redisUrl != null) {
                builder.redis(redisUrl);
            }
            if (!keys.isEmpty()) {
                builder.streamHmacKey(keys.get(0));
            }
            sts = builder.start();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sts.close();
            stopped.countDown();
        }, "caracal-dev-sts-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            printStartup(out, sts, redisUrl, !keys.isEmpty());
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sts.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: the JVM is stopping anyway.
            }
        }
        return Caracal.OK;
    }

    private static void printStartup(PrintWriter out, DevSts sts, String redisUrl, boolean signed) {
        out.println("issuer   " + sts.issuer());
        for (ZoneInfo zone : sts.zones()) {
            out.println("zone     " + zone.zoneId() + "  jwks " + sts.jwksUri(zone.zoneId())
                    + "  kid " + (zone.kids().isEmpty() ? "(none yet)" : zone.kids().get(0)));
        }
        out.println("mint     POST " + sts.url() + "/dev/mint");
        out.println("revoke   POST " + sts.url() + "/dev/revoke       ("
                + (redisUrl == null ? "no redis: answers 400 'nothing to revoke into'" : "redis: " + redisUrl + (signed ? ", signed" : ", unsigned"))
                + ")");
        out.flush();
    }
}
