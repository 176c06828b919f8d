package ai.caracal.cli;

import ai.caracal.mint.Json;
import ai.caracal.verify.ClaimNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code caracal mint}: asks a dev STS for a mandate ({@code POST /dev/mint}) and prints it. */
@Command(name = "mint",
        mixinStandardHelpOptions = true,
        description = "Mint a mandate from a dev STS (POST /dev/mint) and print it. Development only.",
        footer = {"",
            "Exit codes: 0 minted, 1 the STS is unreachable or refused, 2 usage error.",
            "",
            "Examples:",
            "  TOKEN=$(caracal mint --aud resource://documents --scope tool:call \\",
            "      --agent-session new)",
            "  caracal mint --aud resource://documents --output json \\",
            "      --claim 'zone_id=\"zone_other\"'"})
final class MintCommand implements Callable<Integer> {

    @ParentCommand
    private Caracal root;

    @Spec
    private CommandSpec spec;

    @Option(names = {"--sts", "--issuer"}, paramLabel = "URL", description = "Dev STS base URL (default: env CARACAL_STS_URL, else http://127.0.0.1:8787).")
    private String sts;

    @Option(names = "--zone", paramLabel = "ZONE", description = "zone_id (default: env CARACAL_ZONE_ID, else the STS's first zone).")
    private String zone;

    @Option(names = {"--aud", "--audience"}, required = true, paramLabel = "AUDIENCE", description = "Audience (repeatable).")
    private List<String> audience = new ArrayList<>();

    @Option(names = "--sub", paramLabel = "SUB", description = "Subject (default: the client ID).")
    private String sub;

    @Option(names = "--client-id", paramLabel = "ID", description = "Acting application (default app_dev).")
    private String clientId;

    @Option(names = "--sub-type", paramLabel = "TYPE", description = "application (default) or user.")
    private String subType;

    @Option(names = "--use", paramLabel = "USE", description = "resource (default) or session.")
    private String use;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Scope (repeatable or space-separated).")
    private List<String> scopes = new ArrayList<>();

    @Option(names = "--target", paramLabel = "TARGET", description = "Target resource (repeatable; default: the audience).")
    private List<String> targets = new ArrayList<>();

    @Option(names = "--agent-session", paramLabel = "ID|new", description = "agent_session_id, or new for a fresh one.")
    private String agentSession;

    @Option(names = "--delegation-edge", paramLabel = "ID|new", description = "delegation_edge_id, or new for a fresh one.")
    private String delegationEdge;

    @Option(names = "--source-session", paramLabel = "ID", description = "source_session_id.")
    private String sourceSession;

    @Option(names = "--target-session", paramLabel = "ID", description = "target_session_id.")
    private String targetSession;

    @Option(names = "--path", paramLabel = "E1,E2", split = ",", description = "delegation_path (edge IDs, in order).")
    private List<String> path = new ArrayList<>();

    @Option(names = "--chain", paramLabel = "APP[:SESSION[:EDGE]]", description = "A delegation_chain hop (repeatable, in order).")
    private List<String> chain = new ArrayList<>();

    @Option(names = "--hop-count", paramLabel = "N", description = "hop_count (default: the path length).")
    private Integer hopCount;

    @Option(names = "--root-sid", paramLabel = "ID", description = "root_sid (default: the new sid).")
    private String rootSid;

    @Option(names = "--ttl", paramLabel = "SECONDS", description = "Lifetime (default 900; at most 900 for resource mandates).")
    private Integer ttl;

    @Option(names = "--claim", paramLabel = "NAME=JSON", description = "Override a claim with any JSON value, e.g. exp=0 or zone_id='\"other\"' (repeatable; null removes).")
    private List<String> claims = new ArrayList<>();

    @Option(names = "--output", paramLabel = "FORMAT", description = "token (default: the token and a newline) or json (the whole response).")
    private MintOutput output = MintOutput.token;

    @Override
    public Integer call() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("audience", audience.size() == 1 ? audience.get(0) : audience);
        putIfSet(request, ClaimNames.ZONE_ID, root.defaults().zoneId(zone).orElse(null));
        putIfSet(request, ClaimNames.USE, use);
        putIfSet(request, ClaimNames.CLIENT_ID, clientId);
        putIfSet(request, ClaimNames.SUB, sub);
        putIfSet(request, ClaimNames.SUB_TYPE, subType);
        List<String> scopeTokens = new ArrayList<>();
        scopes.forEach(s -> scopeTokens.addAll(Arrays.asList(s.trim().split("\\s+"))));
        scopeTokens.removeIf(String::isEmpty);
        if (!scopeTokens.isEmpty()) {
            request.put(ClaimNames.SCOPE, String.join(" ", scopeTokens));
        }
        if (!targets.isEmpty()) {
            request.put(ClaimNames.TARGET, targets);
        }
        putIfSet(request, ClaimNames.AGENT_SESSION_ID, agentSession);
        putIfSet(request, ClaimNames.DELEGATION_EDGE_ID, delegationEdge);
        putIfSet(request, ClaimNames.SOURCE_SESSION_ID, sourceSession);
        putIfSet(request, ClaimNames.TARGET_SESSION_ID, targetSession);
        if (!path.isEmpty()) {
            request.put(ClaimNames.DELEGATION_PATH, path);
        }
        if (!chain.isEmpty()) {
            request.put(ClaimNames.DELEGATION_CHAIN, chainHops());
        }
        putIfSet(request, ClaimNames.HOP_COUNT, hopCount);
        putIfSet(request, ClaimNames.ROOT_SID, rootSid);
        putIfSet(request, "ttl_seconds", ttl);
        if (!claims.isEmpty()) {
            request.put("claims_override", overrides());
        }

        String base = root.defaults().issuer(sts).orElse(DevStsCommand.DEFAULT_URL);
        Map<String, Object> response = new StsClient(base).post("/dev/mint", request);
        if (output == MintOutput.json) {
            spec.commandLine().getOut().println(Json.write(response));
        } else {
            spec.commandLine().getOut().println(response.get("access_token"));
        }
        return Caracal.OK;
    }

    private List<Map<String, String>> chainHops() {
        List<Map<String, String>> hops = new ArrayList<>();
        for (String hop : chain) {
            String[] parts = hop.split(":", -1);
            if (parts.length > 3 || parts[0].isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--chain takes APP[:SESSION[:EDGE]], got " + hop);
            }
            Map<String, String> element = new LinkedHashMap<>();
            element.put(ClaimNames.APPLICATION_ID, parts[0]);
            if (parts.length > 1 && !parts[1].isEmpty()) {
                element.put(ClaimNames.AGENT_SESSION_ID, parts[1]);
            }
            if (parts.length > 2 && !parts[2].isEmpty()) {
                element.put(ClaimNames.DELEGATION_EDGE_ID, parts[2]);
            }
            hops.add(element);
        }
        return hops;
    }

    private Map<String, Object> overrides() {
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (String claim : claims) {
            int eq = claim.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--claim takes NAME=JSON, got " + claim);
            }
            String name = claim.substring(0, eq);
            try {
                overrides.put(name, Json.readLastWins(claim.substring(eq + 1)));
            } catch (Json.SyntaxException e) {
                throw new ParameterException(spec.commandLine(),
                        "--claim " + name + ": the value is not JSON (quote strings: " + name + "='\"text\"')");
            }
        }
        return overrides;
    }

    private static void putIfSet(Map<String, Object> request, String field, Object value) {
        if (value != null) {
            request.put(field, value);
        }
    }

    /** Output formats. */
    enum MintOutput { token, json }
}
