package ai.caracal.devsts;

import ai.caracal.revocation.RevocationStore;
import ai.caracal.verify.ClaimNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to revoke: the fields of {@code POST /dev/revoke} (devtools.md §1.6) as a Java value, for
 * {@link DevSts#revoke(RevokeRequest)}. The HTTP endpoint parses its body into this same type.
 *
 * <p>At least one anchor is required. Anchors and the reason hold no line feed, and no anchor starts with
 * {@code delegation-epoch:} or {@code consumer-policy:} (state.md S66, S67). Setters check their argument at once and throw
 * {@link IllegalArgumentException} naming the wire field. Immutable and thread-safe.
 */
public final class RevokeRequest {

    /** The default {@code reason}: {@code dev_revoked}. */
    public static final String DEFAULT_REASON = "dev_revoked";

    /** The anchor fields in wire order. */
    static final List<String> ANCHOR_FIELDS =
            List.of("session_id", ClaimNames.SID, ClaimNames.ROOT_SID, ClaimNames.AGENT_SESSION_ID, ClaimNames.DELEGATION_EDGE_ID);

    private final String zoneId;
    private final Map<String, String> anchors;
    private final String reason;

    private RevokeRequest(Builder builder) {
        this.zoneId = builder.zoneId;
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String field : ANCHOR_FIELDS) {
            if (builder.anchors.containsKey(field)) {
                ordered.put(field, builder.anchors.get(field));
            }
        }
        this.anchors = Collections.unmodifiableMap(ordered);
        this.reason = builder.reason;
    }

    /** @return a builder with no anchors, reason {@value #DEFAULT_REASON} and the default zone */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the zone, or empty for the revoking dev STS's first zone */
    public Optional<String> zoneId() {
        return Optional.ofNullable(zoneId);
    }

    /**
     * @return the anchor fields as given, in wire order ({@code session_id}, {@code sid},
     *         {@code root_sid}, {@code agent_session_id}, {@code delegation_edge_id}); unmodifiable
     */
    public Map<String, String> anchorFields() {
        return anchors;
    }

    /** @return the distinct anchor values, in wire order */
    public List<String> anchors() {
        List<String> distinct = new ArrayList<>();
        anchors.values().forEach(anchor -> {
            if (!distinct.contains(anchor)) {
                distinct.add(anchor);
            }
        });
        return List.copyOf(distinct);
    }

    /** @return the {@code reason} */
    public String reason() {
        return reason;
    }

    /** Builder for {@link RevokeRequest}. Not thread-safe. */
    public static final class Builder {
        private String zoneId;
        private final Map<String, String> anchors = new LinkedHashMap<>();
        private String reason = DEFAULT_REASON;

        private Builder() {
        }

        /**
         * @param zoneId the zone, 1 to 128 characters
         * @return this builder
         */
        public Builder zoneId(String zoneId) {
            this.zoneId = ZoneIds.check(zoneId, ClaimNames.ZONE_ID);
            return this;
        }

        /**
         * @param sessionId the authority record ID under its legacy wire name {@code session_id}; non-empty
         * @return this builder
         */
        public Builder sessionId(String sessionId) {
            return anchor("session_id", sessionId);
        }

        /**
         * @param sid an authority record ID; non-empty
         * @return this builder
         */
        public Builder sid(String sid) {
            return anchor(ClaimNames.SID, sid);
        }

        /**
         * @param rootSid a root authority record ID; non-empty
         * @return this builder
         */
        public Builder rootSid(String rootSid) {
            return anchor(ClaimNames.ROOT_SID, rootSid);
        }

        /**
         * @param agentSessionId a governed agent session ID; non-empty
         * @return this builder
         */
        public Builder agentSessionId(String agentSessionId) {
            return anchor(ClaimNames.AGENT_SESSION_ID, agentSessionId);
        }

        /**
         * @param delegationEdgeId a delegation edge ID; non-empty
         * @return this builder
         */
        public Builder delegationEdgeId(String delegationEdgeId) {
            return anchor(ClaimNames.DELEGATION_EDGE_ID, delegationEdgeId);
        }

        /**
         * @param reason the event's {@code reason}; non-empty, without a line feed (a signed entry must not
         *               hold one: state.md S67)
         * @return this builder
         */
        public Builder reason(String reason) {
            if (reason == null || reason.isEmpty()) {
                throw new InvalidRequestException("reason must be a non-empty string");
            }
            if (reason.indexOf('\n') >= 0) {
                throw new InvalidRequestException("reason must not contain a line feed");
            }
            this.reason = reason;
            return this;
        }

        /**
         * Sets an anchor by its wire name; the parser uses this for the five anchor fields. Refuses line
         * feeds (S67) and the names a store reserves for its own records (S66).
         */
        Builder anchor(String field, String value) {
            if (value == null || value.isEmpty()) {
                throw new InvalidRequestException(field + " must be a non-empty string");
            }
            if (value.indexOf('\n') >= 0) {
                throw new InvalidRequestException(field + " must not contain a line feed");
            }
            if (RevocationStore.isReservedAnchor(value)) {
                throw new InvalidRequestException(field + " must not start with "
                        + String.join(" or ", RevocationStore.RESERVED_ANCHOR_PREFIXES) + ": those names are reserved"
                        + " for the revocation store's own records");
            }
            anchors.put(field, value);
            return this;
        }

        /**
         * @return the request
         * @throws IllegalArgumentException when no anchor is set
         */
        public RevokeRequest build() {
            if (anchors.isEmpty()) {
                throw new InvalidRequestException(
                        "at least one anchor is required: session_id, sid, root_sid, agent_session_id or delegation_edge_id");
            }
            return new RevokeRequest(this);
        }
    }
}
