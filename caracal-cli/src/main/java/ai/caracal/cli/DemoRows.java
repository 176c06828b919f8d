package ai.caracal.cli;

import ai.caracal.devsts.DevSts;
import ai.caracal.devsts.InvalidateResult;
import ai.caracal.devsts.MintRequest;
import ai.caracal.devsts.MintResponse;
import ai.caracal.devsts.RevokeRequest;
import ai.caracal.verify.ClaimNames;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How each row of the validation table (devtools.md §4.2) is set up and run: the mandate it mints
 * through the dev STS, the {@code Authorization} header it sends, the tool it calls, and what it changes
 * between {@code initialize} and the call. Rows run one after another, in table order; D15 after the other
 * delegated rows of the in-tool server, since every invalidation makes the zone's earlier delegated
 * mandates stale.
 */
final class DemoRows {

    private static final CallToolRequest SEARCH = new CallToolRequest("search", Map.of("query", "quarterly report"));
    private static final CallToolRequest GET_DOCUMENT = new CallToolRequest("get_document", Map.of("doc_id", "doc-1"));
    private static final List<String> THROUGH_ORCHESTRATOR = List.of("app_orchestrator", "app_dev");
    private static final McpProbe.Step NOTHING = () -> { };

    private final DevSts sts;
    private final DemoRevocations revocations;
    private final McpProbe probe;
    private final McpProbe boundaryForm;
    private final String zone;
    private final String audience;
    private final Clock clock;
    private final PrintWriter err;
    private final Runnable announce;

    /**
     * @param announce makes the in-tool server send an event on every session's {@code GET} stream (D27)
     */
    DemoRows(DevSts sts, DemoRevocations revocations, McpProbe probe, McpProbe boundaryForm, String zone, String audience,
            Clock clock, PrintWriter err, Runnable announce) {
        this.sts = sts;
        this.revocations = revocations;
        this.probe = probe;
        this.boundaryForm = boundaryForm;
        this.zone = zone;
        this.audience = audience;
        this.clock = clock;
        this.err = err;
        this.announce = announce;
    }

    /** @return what the row received; its body never contains the row's token */
    DemoObservation run(DemoCase row) throws InterruptedException {
        return switch (row) {
            case D1 -> call(agent(), SEARCH);
            case D2 -> probe.run(null, SEARCH, NOTHING);
            case D3 -> probe.run("Basic ZGV2OmRldg==", SEARCH, NOTHING);
            case D4 -> call(agent().audience("resource://other"), SEARCH);
            case D5 -> call(expired(), SEARCH);
            case D6 -> send(tamperSignature(mint(agent()).accessToken()), SEARCH, NOTHING);
            case D7 -> call(agent().overrideClaim(ClaimNames.ZONE_ID, "zone_other"), SEARCH);
            case D8 -> call(mandate().scope("tool:list").agentSessionId(MintRequest.NEW), SEARCH);
            case D9 -> revokedAfterInitialize();
            case D10 -> call(mandate().scope("tool:call"), SEARCH);
            case D11 -> call(delegated(THROUGH_ORCHESTRATOR, 1), GET_DOCUMENT);
            case D12 -> call(agent(), GET_DOCUMENT);
            case D13 -> call(delegated(List.of("app_other", "app_dev"), 1), GET_DOCUMENT);
            case D14 -> call(delegated(THROUGH_ORCHESTRATOR, 3), GET_DOCUMENT);
            case D15 -> invalidatedAfterInitialize();
            case D19 -> atBoundary(delegated(THROUGH_ORCHESTRATOR, 1).scope("tool:call", "documents:read"), GET_DOCUMENT);
            case D20 -> atBoundary(delegated(THROUGH_ORCHESTRATOR, 1), GET_DOCUMENT);
            case D21 -> atBoundary(agent().scope("tool:call", "documents:read"), GET_DOCUMENT);
            case D22 -> atBoundary(delegated(List.of("app_other", "app_dev"), 1).scope("tool:call", "documents:read"), GET_DOCUMENT);
            case D23 -> atBoundary(delegated(THROUGH_ORCHESTRATOR, 3).scope("tool:call", "documents:read"), GET_DOCUMENT);
            case D24 -> withToken(agent(), token -> boundaryForm.run("Bearer " + token, SEARCH, NOTHING,
                    McpProbe.header("Origin", "http://evil.example")));
            case D25 -> withToken(delegated(THROUGH_ORCHESTRATOR, 1).scope("tool:call", "documents:read"),
                    token -> boundaryForm.run("Bearer " + token, GET_DOCUMENT, NOTHING, McpProbe.onToolCall("Mcp-Name", "search")));
            case D26 -> foreignSession();
            case D27 -> streamClosedByRevocation();
        };
    }

    /** Rows against the boundary-form server (get_document's rule at the boundary). */
    private DemoObservation atBoundary(MintRequest.Builder mandate, CallToolRequest tool) throws InterruptedException {
        return withToken(mandate, token -> boundaryForm.run("Bearer " + token, tool, NOTHING, McpProbe.NO_HEADERS));
    }

    /** D26: a session opened by one principal, named by another (M12). */
    private DemoObservation foreignSession() throws InterruptedException {
        String owner = mint(agent()).accessToken();
        String stranger = mint(agent().sub("user_other")).accessToken();
        return boundaryForm.foreignSession("Bearer " + owner, "Bearer " + stranger, SEARCH).withoutToken(owner).withoutToken(stranger);
    }

    /**
     * D27 (connectors.md §10.4): an agent mandate's {@code GET /mcp} stream is open; its agent session is
     * revoked (through the dev STS, and the Redis stream with {@code --redis}); the server must end the
     * stream.
     */
    private DemoObservation streamClosedByRevocation() throws InterruptedException {
        MintResponse minted = mint(agent());
        String agentSession = (String) minted.claims().get(ClaimNames.AGENT_SESSION_ID);
        return probe.streamClosedBy("Bearer " + minted.accessToken(), announce, () -> {
            sts.revoke(RevokeRequest.builder().zoneId(zone).agentSessionId(agentSession).build());
            if (!revocations.awaitRevoked(agentSession)) {
                warnNotApplied("the agent session revocation");
            }
        }).withoutToken(minted.accessToken());
    }

    /** A probe run that needs the token. */
    @FunctionalInterface
    private interface WithToken {
        DemoObservation run(String token) throws InterruptedException;
    }

    private DemoObservation withToken(MintRequest.Builder mandate, WithToken row) throws InterruptedException {
        String token = mint(mandate).accessToken();
        return row.run(token).withoutToken(token);
    }

    /** D9: a live session whose agent session is revoked after {@code initialize}. */
    private DemoObservation revokedAfterInitialize() throws InterruptedException {
        MintResponse minted = mint(agent());
        String agentSession = (String) minted.claims().get(ClaimNames.AGENT_SESSION_ID);
        return send(minted.accessToken(), SEARCH, () -> {
            sts.revoke(RevokeRequest.builder().zoneId(zone).agentSessionId(agentSession).build());
            if (!revocations.awaitRevoked(agentSession)) {
                warnNotApplied("the agent session revocation");
            }
        });
    }

    /**
     * D15: a delegated mandate stamped with the zone's epoch, accepted by {@code initialize}; then the
     * delegation graph changes again. The first invalidation starts above the store's epoch, so a Redis
     * that earlier runs already raised does not make the fresh mandate stale before the call.
     */
    private DemoObservation invalidatedAfterInitialize() throws InterruptedException {
        advanceEpoch(revocations.epoch(zone) + 1);
        return send(mint(delegated(THROUGH_ORCHESTRATOR, 1)).accessToken(), GET_DOCUMENT, () -> advanceEpoch(0));
    }

    private void advanceEpoch(long atLeast) throws InterruptedException {
        InvalidateResult invalidated = sts.invalidateDelegations(zone, atLeast);
        if (!revocations.awaitEpoch(zone, invalidated.epoch())) {
            warnNotApplied("the delegation invalidation (epoch " + invalidated.epoch() + ")");
        }
    }

    private void warnNotApplied(String event) {
        err.println("caracal demo: " + event + " was not applied to the store within " + DemoRevocations.WAIT.toSeconds() + " s");
        err.flush();
    }

    private DemoObservation call(MintRequest.Builder mandate, CallToolRequest tool) throws InterruptedException {
        return send(mint(mandate).accessToken(), tool, NOTHING);
    }

    private DemoObservation send(String token, CallToolRequest tool, McpProbe.Step afterInitialize) throws InterruptedException {
        return probe.run("Bearer " + token, tool, afterInitialize).withoutToken(token);
    }

    private MintResponse mint(MintRequest.Builder mandate) {
        return sts.mint(mandate.build());
    }

    /** The dev STS's defaults (client {@code app_dev}) for this zone and audience, no scope. */
    private MintRequest.Builder mandate() {
        return MintRequest.builder().zoneId(zone).audience(audience);
    }

    /** D1's mandate: scope {@code tool:call} and a new agent session. */
    private MintRequest.Builder agent() {
        return mandate().scope("tool:call").agentSessionId(MintRequest.NEW);
    }

    private MintRequest.Builder expired() {
        long now = clock.instant().getEpochSecond();
        return agent().overrideClaim(ClaimNames.EXP, now - 120).overrideClaim(ClaimNames.IAT, now - 1000);
    }

    /** D1 plus a new delegation edge, the chain in order, and a path of {@code hops} edges ending in it. */
    private MintRequest.Builder delegated(List<String> chain, int hops) {
        String edge = UUID.randomUUID().toString();
        String[] path = new String[hops];
        for (int i = 0; i < hops - 1; i++) {
            path[i] = UUID.randomUUID().toString();
        }
        path[hops - 1] = edge;
        MintRequest.Builder mandate = agent().delegationEdgeId(edge).delegationPath(path);
        chain.forEach(mandate::chainHop);
        return mandate;
    }

    /** Changes the first character of the signature, which always changes the decoded bytes. */
    static String tamperSignature(String token) {
        int signature = token.lastIndexOf('.') + 1;
        char replacement = token.charAt(signature) == 'A' ? 'B' : 'A';
        return token.substring(0, signature) + replacement + token.substring(signature + 1);
    }
}
