package ai.caracal.cli;

import ai.caracal.mint.Json;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.AuthResult;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.Claims;
import ai.caracal.verify.JwksCache;
import ai.caracal.verify.MandateVerifier;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code caracal verify}: runs the full verification of one mandate and prints the outcome. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = "Verify a mandate exactly as a protected server would: signature against the issuer's JWKS,"
                + " claims, zone, requirements and revocation. Revocation uses an in-memory store, empty unless"
                + " --revoked or --epoch pre-load it.",
        footer = {"",
            "Exit codes: 0 accepted, 2 usage or configuration error,",
            "            3 rejected (whatever the cause, an unreachable JWKS included).",
            "",
            "Example:",
            "  caracal verify --issuer http://127.0.0.1:8787 --zone zone_dev \\",
            "    --aud resource://documents --scope tool:call --require-agent \"$TOKEN\""})
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    private Caracal root;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TOKEN",
            description = "The mandate (compact JWS), or - to read it from standard input.")
    private String token;

    @Option(names = "--header", paramLabel = "VALUE",
            description = "Verify an Authorization header value instead, for example \"Bearer eyJ...\".")
    private String header;

    @Option(names = {"--issuer", "--sts"}, paramLabel = "URL", description = "STS base URL (default: env CARACAL_STS_URL).")
    private String issuer;

    @Option(names = {"--aud", "--audience"}, required = true, paramLabel = "AUDIENCE", description = "Audience the mandate must carry.")
    private String audience;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Zone the mandate must belong to (default: env CARACAL_ZONE_ID).")
    private String zone;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Required scope (repeatable).")
    private List<String> scopes = new ArrayList<>();

    @Option(names = "--target", paramLabel = "TARGET", description = "Required target resource (repeatable).")
    private List<String> targets = new ArrayList<>();

    @Option(names = "--chain-contains", paramLabel = "APP_ID", description = "Application that must be in the delegation chain (repeatable).")
    private List<String> chainContains = new ArrayList<>();

    @Option(names = "--require-agent", description = "Require an agent session (agent_session_id).")
    private boolean requireAgent;

    @Option(names = "--require-delegation", description = "Require a delegated mandate (delegation_edge_id).")
    private boolean requireDelegation;

    @Option(names = "--max-hop-count", paramLabel = "N", description = "Largest accepted hop_count (default 10).")
    private int maxHopCount;

    @Option(names = "--use", paramLabel = "USE", description = "Required use class: resource (default) or session.")
    private String use = "resource";

    @Option(names = "--redis", paramLabel = "URL",
            description = "Check revocation against this Redis (e.g. redis://127.0.0.1:6379), fail-closed: an unreachable"
                    + " Redis gives session_revoked. Without it, an in-memory store is used.")
    private String redis;

    @Option(names = "--revoked", paramLabel = "ANCHOR", description = "Pre-load the in-memory store with a revoked anchor (repeatable).")
    private List<String> revoked = new ArrayList<>();

    @Option(names = "--epoch", paramLabel = "N", description = "Pre-set the in-memory store's delegation epoch for --zone.")
    private Long epoch;

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    private OutputFormat output = OutputFormat.text;

    @Override
    public Integer call() {
        if ((token == null) == (header == null)) {
            throw new ParameterException(spec.commandLine(), "pass exactly one of TOKEN, - (standard input) or --header");
        }
        String issuerUrl = root.defaults().issuer(issuer)
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "an issuer is required: pass --issuer or set CARACAL_STS_URL"));
        String zoneId = root.defaults().zoneId(zone).orElse(null);
        if (epoch != null && zoneId == null) {
            throw new ParameterException(spec.commandLine(), "--epoch needs a zone: pass --zone or set CARACAL_ZONE_ID");
        }

        if (redis != null && (!revoked.isEmpty() || epoch != null)) {
            throw new ParameterException(spec.commandLine(), "--redis cannot be combined with --revoked or --epoch (they pre-load the in-memory store)");
        }
        try (RevocationSource revocations = redis != null ? RevocationSource.redis(redis, spec.commandLine())
                : RevocationSource.inMemory(revoked, zoneId, epoch)) {
            return verify(issuerUrl, zoneId, revocations.store());
        }
    }

    private int verify(String issuerUrl, String zoneId, RevocationStore store) {
        MandateVerifier verifier;
        try {
            verifier = MandateVerifier.builder()
                    .issuer(issuerUrl).audience(audience).zoneId(zoneId)
                    .requiredScopes(scopes).requiredTargets(targets).requireChainContains(chainContains)
                    .requireAgent(requireAgent).requireDelegation(requireDelegation).maxHopCount(maxHopCount)
                    .requiredUse(use)
                    .revocations(store)
                    .jwksCache(OneShot.jwksCache())
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }

        AuthResult result = header != null
                ? verifier.authorization(header)
                : verifier.authenticate(TokenInput.read(token, root.stdin()));
        print(result, spec.commandLine().getOut());
        return result.ok() ? Caracal.OK : Caracal.REJECTED;
    }

    private void print(AuthResult result, PrintWriter out) {
        if (output == OutputFormat.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ok", result.ok());
            if (result.ok()) {
                json.put("claims", result.principal().raw());
            } else {
                AuthError error = result.error();
                json.put("status", error.httpStatus());
                json.put("error", error.code().wire());
                json.put("error_description", error.description());
                json.put("error_hint", error.hint());
            }
            out.println(Json.write(json));
        } else if (result.ok()) {
            Claims c = result.principal();
            out.println("ACCEPTED sub=" + c.sub() + " zone=" + c.zoneId() + " client_id=" + c.clientId() + " use=" + c.use()
                    + " scope=\"" + c.scope() + "\" exp=" + c.expiresAt() + " anchors=" + anchorNames(c));
        } else {
            AuthError error = result.error();
            out.println("REJECTED " + error.code().wire() + " (HTTP " + error.httpStatus() + "): " + error.description());
            out.println("  hint: " + error.hint());
        }
    }

    /** The claim names of the anchors present, in anchor order. */
    private static String anchorNames(Claims claims) {
        List<String> names = new ArrayList<>(List.of(ClaimNames.SID, ClaimNames.ROOT_SID));
        claims.agentSessionId().ifPresent(id -> names.add(ClaimNames.AGENT_SESSION_ID));
        claims.delegationEdgeId().ifPresent(id -> names.add(ClaimNames.DELEGATION_EDGE_ID));
        return String.join(",", names);
    }

    /** Output formats. */
    enum OutputFormat { text, json }
}
