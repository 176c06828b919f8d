package ai.caracal.cli;

import ai.caracal.mint.Json;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.JwksUnavailableException;
import ai.caracal.verify.SignatureCheck;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code caracal inspect}: decodes a mandate without verifying it, optionally checking only its signature. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Decode a mandate WITHOUT verifying it: header, claims, times, anchors and scopes."
                + " With --verify-signature, also check its signature against the issuer's JWKS (and nothing else).",
        footer = {"",
            "Exit codes: 0 decoded, 1 not a compact JWS (or JWKS unreachable),",
            "            3 signature invalid.",
            "",
            "Examples:",
            "  caracal inspect \"$TOKEN\"",
            "  echo \"$TOKEN\" | caracal inspect --verify-signature \\",
            "      --issuer \"$CARACAL_STS_URL\" -"})
final class InspectCommand implements Callable<Integer> {

    static final String BANNER = "UNVERIFIED \u2014 decoded only";

    /**
     * The first line: what was checked. Without {@code --verify-signature} nothing was; with it, the
     * signature was, and only the signature (never the claims, which {@code caracal verify} checks).
     */
    static String banner(SignatureCheck signature) {
        if (signature == null) {
            return BANNER;
        }
        return signature.valid()
                ? "SIGNATURE VALID (kid " + signature.kid().orElse("?") + ") \u2014 claims not checked (caracal verify checks them)"
                : "SIGNATURE INVALID (" + signature.reason().orElse("unknown") + ") \u2014 decoded only";
    }

    private static final String[] ANCHOR_CLAIMS = {
            ClaimNames.SID, ClaimNames.ROOT_SID, ClaimNames.AGENT_SESSION_ID, ClaimNames.DELEGATION_EDGE_ID};

    @ParentCommand
    private Caracal root;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOKEN", description = "The mandate (compact JWS), or - to read it from standard input.")
    private String token;

    @Option(names = "--verify-signature", description = "Also check the signature against the JWKS of --issuer (and --zone).")
    private boolean verifySignature;

    @Option(names = {"--issuer", "--sts"}, paramLabel = "URL", description = "STS base URL for --verify-signature (default: env CARACAL_STS_URL).")
    private String issuer;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Zone of the JWKS for --verify-signature (default: env CARACAL_ZONE_ID).")
    private String zone;

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    private VerifyCommand.OutputFormat output = VerifyCommand.OutputFormat.text;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        String jws = TokenInput.read(token, root.stdin());
        PrintWriter out = spec.commandLine().getOut();
        String[] segments = jws.split("\\.", -1);
        Optional<Map<String, Object>> header = segments.length == 3 ? decodeObject(segments[0]) : Optional.empty();
        Optional<Map<String, Object>> claims = segments.length == 3 ? decodeObject(segments[1]) : Optional.empty();
        if (header.isEmpty() || claims.isEmpty()) {
            spec.commandLine().getErr().println("caracal: not a compact JWS (expected three base64url segments with a JSON header and payload)");
            return Caracal.FAILURE;
        }
        SignatureCheck signature = verifySignature ? checkSignature(jws) : null;

        if (output == VerifyCommand.OutputFormat.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("verified", signature != null && signature.valid());
            json.put("header", header.get());
            json.put("claims", claims.get());
            out.println(Json.write(json));
        } else {
            printText(out, header.get(), claims.get(), signature);
        }
        return signature != null && !signature.valid() ? Caracal.REJECTED : Caracal.OK;
    }

    private SignatureCheck checkSignature(String jws) {
        String issuerUrl = root.defaults().issuer(issuer)
                .orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "--verify-signature needs an issuer: pass --issuer or set CARACAL_STS_URL"));
        String zoneId = root.defaults().zoneId(zone).orElse(null);
        try {
            return OneShot.jwksCache().checkSignature(issuerUrl, zoneId, jws);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (JwksUnavailableException e) {
            throw new IllegalStateException(e.getMessage() + " (is the issuer running and the zone right?)");
        }
    }

    private void printText(PrintWriter out, Map<String, Object> header, Map<String, Object> claims, SignatureCheck signature) {
        out.println(banner(signature));
        out.println("header:");
        out.println(Json.pretty(header));
        out.println("claims:");
        out.println(Json.pretty(claims));
        out.println("times:");
        for (String name : new String[] {ClaimNames.IAT, ClaimNames.NBF, ClaimNames.EXP}) {
            if (claims.get(name) != null) {
                out.println("  " + name + "  " + describeTime(name, claims.get(name)));
            }
        }
        List<String> anchors = new ArrayList<>();
        for (String name : ANCHOR_CLAIMS) {
            if (claims.get(name) instanceof String anchor && !anchor.isEmpty()) {
                anchors.add(name + "=" + anchor);
            }
        }
        out.println("anchors: " + (anchors.isEmpty() ? "(none)" : String.join(" ", anchors)));
        Object scope = claims.get(ClaimNames.SCOPE);
        out.println("scopes: " + (scope instanceof String scopes && !scopes.isBlank()
                ? String.join(" ", scopes.strip().split("\\s+")) : "(none)"));
        if (signature != null) {
            out.println(signature.valid()
                    ? "signature: valid (kid " + signature.kid().orElse("?") + ")"
                    : "signature: invalid (" + signature.reason().orElse("unknown") + ")");
        }
    }

    private String describeTime(String name, Object value) {
        long seconds;
        if (value instanceof Long integral) {
            seconds = integral;
        } else if (value instanceof BigDecimal decimal) {
            seconds = decimal.longValue();
        } else {
            return String.valueOf(value) + " (not a number)";
        }
        Instant at;
        try {
            at = Instant.ofEpochSecond(seconds);
        } catch (java.time.DateTimeException e) {
            return value + " (out of range)";
        }
        Duration delta = Duration.between(clock.instant(), at);
        String relative;
        if (name.equals(ClaimNames.EXP)) {
            relative = delta.isNegative() || delta.isZero() ? "expired " + human(delta.negated()) + " ago" : "expires in " + human(delta);
        } else {
            relative = delta.isNegative() ? human(delta.negated()) + " ago" : "in " + human(delta);
        }
        return at + " (" + relative + ")";
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }

    private static Optional<Map<String, Object>> decodeObject(String segment) {
        if (segment.isEmpty() || !segment.chars().allMatch(InspectCommand::isBase64UrlChar)) {
            return Optional.empty();
        }
        try {
            return Json.readObjectLastWins(new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isBase64UrlChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
