package ai.caracal.devsts;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The child JVM of {@link SafetyTest}: starts a dev STS with the default builder, so the environment
 * the test gives the process is the one {@link DevSts} sees.
 *
 * <p>Modes (first argument): {@code start} prints {@value #STARTED} and the port, then stops;
 * {@code mint} also mints and fetches the JWKS over HTTP; {@code redis} starts with {@code redis(url)}.
 * A refused start prints {@value #REFUSED} and the message to stdout and exits with 3.
 */
public final class DevStsMain {

    static final String STARTED = "STARTED ";
    static final String REFUSED = "REFUSED ";
    static final String MINTED = "MINTED ";

    private DevStsMain() {
    }

    /**
     * @param args the mode: {@code start}, {@code mint} or {@code redis}
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String mode = args.length == 0 ? "start" : args[0];
        DevSts.Builder builder = DevSts.builder();
        if (mode.equals("redis")) {
            builder.redis("redis://127.0.0.1:6379");
        }
        DevSts sts;
        try {
            sts = builder.start();
        } catch (IllegalStateException e) {
            out.println(REFUSED + e.getMessage());
            System.exit(3);
            return;
        }
        try (sts) {
            out.println(STARTED + sts.port());
            if (mode.equals("mint")) {
                Http http = new Http(sts);
                Http.Answer minted = http.postJson("/dev/mint", Map.of("audience", "https://api.test"));
                Http.Answer jwks = http.get("/.well-known/jwks.json?zone_id=zone_dev");
                out.println(MINTED + minted.status() + " " + jwks.status());
            }
        }
    }
}
