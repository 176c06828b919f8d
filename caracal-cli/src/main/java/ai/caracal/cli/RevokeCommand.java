package ai.caracal.cli;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.StreamPublisher;
import ai.caracal.verify.ClaimNames;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caracal revoke}: revokes anchors (or bumps a zone's delegation epoch) through a dev STS, or by
 * publishing straight onto the Redis streams in the producer format.
 */
@Command(name = "revoke",
        mixinStandardHelpOptions = true,
        description = "Revoke mandate anchors, or invalidate a zone's delegations, through the dev STS or straight"
                + " onto the Redis revocation streams (as Caracal's producers do).",
        footer = {"",
            "Exit codes: 0 done, 1 the STS or Redis is unreachable or refused, 2 usage error.",
            "",
            "Examples:",
            "  caracal revoke --agent-session 0193a4c2-...",
            "  caracal revoke --redis redis://127.0.0.1:6379 --zone zone_dev \\",
            "      --sid 0193a4c2-...",
            "  caracal revoke --delegations --zone zone_dev"})
final class RevokeCommand implements Callable<Integer> {

    static final String REVOKE_STREAM = "caracal.sessions.revoke";
    static final String INVALIDATE_STREAM = "caracal.delegations.invalidate";

    @ParentCommand
    private Caracal root;

    @Spec
    private CommandSpec spec;

    @Option(names = {"--sts", "--issuer"}, paramLabel = "URL", description = "Dev STS base URL (default: env CARACAL_STS_URL, else http://127.0.0.1:8787).")
    private String sts;

    @Option(names = "--redis", paramLabel = "URL", description = "Instead of the STS, XADD directly to the stream.")
    private String redis;

    @Option(names = "--stream-hmac-key", paramLabel = "HEX", split = ",",
            description = "Sign entries published with --redis (default: env STREAMS_HMAC_KEY). Repeatable or"
                    + " comma-separated during a key rotation: the first key signs.")
    private List<String> streamHmacKeys = new ArrayList<>();

    @Option(names = "--zone", paramLabel = "ZONE", description = "zone_id (default: env CARACAL_ZONE_ID).")
    private String zone;

    @Option(names = "--session-id", paramLabel = "ID", description = "Authority record (legacy wire name session_id).")
    private String sessionId;

    @Option(names = "--sid", paramLabel = "ID", description = "Authority record (sid).")
    private String sid;

    @Option(names = "--root-sid", paramLabel = "ID", description = "Root authority record (root_sid).")
    private String rootSid;

    @Option(names = "--agent-session", paramLabel = "ID", description = "Agent session (agent_session_id).")
    private String agentSession;

    @Option(names = "--delegation-edge", paramLabel = "ID", description = "Delegation edge (delegation_edge_id).")
    private String delegationEdge;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Revocation reason (default cli_revoked).")
    private String reason = "cli_revoked";

    @Option(names = "--delegations", description = "Publish a delegation invalidation (epoch bump) instead of a revocation.")
    private boolean delegations;

    @Option(names = "--epoch", paramLabel = "N", description = "The new epoch for --delegations (required with --redis).")
    private Long epoch;

    @Override
    public Integer call() {
        String zoneId = root.defaults().zoneId(zone).orElse(null);
        Map<String, String> anchors = anchors();
        if (!delegations && anchors.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "name at least one anchor: --session-id, --sid, --root-sid, --agent-session or --delegation-edge");
        }
        if (delegations && !anchors.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--delegations takes no anchors");
        }
        if (epoch != null && !delegations) {
            throw new ParameterException(spec.commandLine(), "--epoch goes with --delegations");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (redis != null) {
            if (zoneId == null) {
                throw new ParameterException(spec.commandLine(), "--redis needs a zone: pass --zone or set CARACAL_ZONE_ID");
            }
            if (delegations && epoch == null) {
                throw new ParameterException(spec.commandLine(), "--delegations with --redis needs --epoch");
            }
            publish(out, zoneId, anchors);
        } else {
            throughSts(out, zoneId, anchors);
        }
        return Caracal.OK;
    }

    private void publish(PrintWriter out, String zoneId, Map<String, String> anchors) {
        List<byte[]> keys = HexKeys.fromFlagsOrEnv(streamHmacKeys, root.env("STREAMS_HMAC_KEY"), spec.commandLine());
        byte[] key = keys.isEmpty() ? null : keys.get(0);
        try (StreamPublisher publisher = new StreamPublisher(redis, key)) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (delegations) {
                fields.put("event", "cli_invalidate");
                fields.put(ClaimNames.ZONE_ID, zoneId);
                fields.put("epoch", Long.toString(epoch));
                fields.put("outbox_id", UUID.randomUUID().toString());
                String id = publisher.publish(INVALIDATE_STREAM, fields);
                out.println("delegation epoch " + zoneId + " -> " + epoch + " (published " + id + (key != null ? " signed" : "") + ")");
            } else {
                fields.put(ClaimNames.ZONE_ID, zoneId);
                fields.putAll(anchors);
                fields.put("reason", reason);
                fields.put("outbox_id", UUID.randomUUID().toString());
                String id = publisher.publish(REVOKE_STREAM, fields);
                out.println("revoked " + String.join(", ", new LinkedHashSet<>(anchors.values())) + " (" + zoneId + ") -> "
                        + REVOKE_STREAM + " " + id + (key != null ? " signed" : ""));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--redis: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot publish to Redis at " + redis + " (" + e.getMessage() + ")");
        }
    }

    private void throughSts(PrintWriter out, String zoneId, Map<String, String> anchors) {
        StsClient client = new StsClient(root.defaults().issuer(sts).orElse(DevStsCommand.DEFAULT_URL));
        Map<String, Object> request = new LinkedHashMap<>();
        if (zoneId != null) {
            request.put(ClaimNames.ZONE_ID, zoneId);
        }
        if (delegations) {
            if (epoch != null) {
                request.put("epoch", epoch);
            }
            Map<String, Object> response = client.post("/dev/delegations/invalidate", request);
            out.println("delegation epoch " + response.get(ClaimNames.ZONE_ID) + " -> " + response.get("epoch") + " ("
                    + destination(response) + ")");
        } else {
            request.putAll(anchors);
            request.put("reason", reason);
            Map<String, Object> response = client.post("/dev/revoke", request);
            @SuppressWarnings("unchecked")
            List<Object> revoked = (List<Object>) response.getOrDefault("revoked", List.of());
            List<String> names = new ArrayList<>();
            revoked.forEach(anchor -> names.add(String.valueOf(anchor)));
            out.println("revoked " + String.join(", ", names) + " (" + (zoneId == null ? "default zone" : zoneId) + ") -> "
                    + destination(response));
        }
    }

    private static String destination(Map<String, Object> response) {
        List<String> where = new ArrayList<>();
        if (Boolean.TRUE.equals(response.get("applied_to_store"))) {
            where.add("dev STS store");
        }
        if (Boolean.TRUE.equals(response.get("published"))) {
            where.add("published " + response.get("stream_id"));
        }
        return where.isEmpty() ? "dev STS only" : String.join(", ", where);
    }

    private Map<String, String> anchors() {
        Map<String, String> anchors = new LinkedHashMap<>();
        put(anchors, "session_id", sessionId);
        put(anchors, ClaimNames.SID, sid);
        put(anchors, ClaimNames.ROOT_SID, rootSid);
        put(anchors, ClaimNames.AGENT_SESSION_ID, agentSession);
        put(anchors, ClaimNames.DELEGATION_EDGE_ID, delegationEdge);
        return anchors;
    }

    private void put(Map<String, String> anchors, String field, String value) {
        if (value != null && !value.isBlank()) {
            if (RevocationStore.isReservedAnchor(value)) {
                throw new ParameterException(spec.commandLine(), field + " must not start with "
                        + String.join(" or ", RevocationStore.RESERVED_ANCHOR_PREFIXES)
                        + ": those names are reserved for the revocation store's own records");
            }
            anchors.put(field, value);
        }
    }
}
