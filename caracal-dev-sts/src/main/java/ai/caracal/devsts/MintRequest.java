package ai.caracal.devsts;

import ai.caracal.mint.Json;
import ai.caracal.verify.ClaimNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

// Why this file is long: it has one documented accessor and one documented, argument-checking builder
// setter for each of the eighteen request fields of devtools.md §1.5; splitting them would only scatter
// one table.

/**
 * What to mint: the fields of {@code POST /dev/mint} (devtools.md §1.5) as a Java value, for in-process
 * callers of {@link DevSts#mint(MintRequest)}. The HTTP endpoint parses its JSON body into this same
 * type, so both paths apply the same rules and the same defaults.
 *
 * <p>Build one with {@link #builder()}. Every setter checks its argument at once and throws
 * {@link IllegalArgumentException} whose message names the JSON wire field; {@link Builder#build()} checks the
 * combination (an audience for {@code resource}, the TTL cap of the use class). Defaults that need the
 * issuer ({@code zone_id}, the TTL) are applied by the {@link DevSts} that mints. Immutable and
 * thread-safe.
 */
public final class MintRequest {

    /** The most a {@code resource} mandate may live: 900 s (the STS cap). */
    public static final Duration MAX_RESOURCE_TTL = Duration.ofSeconds(900);

    /** The most a {@code session} mandate may live: 3600 s. */
    public static final Duration MAX_SESSION_TTL = Duration.ofSeconds(3600);

    /** The value of {@code agent_session_id} or {@code delegation_edge_id} that asks for a fresh UUIDv7. */
    public static final String NEW = "new";

    private final List<String> audience;
    private final String zoneId;
    private final String use;
    private final String clientId;
    private final String sub;
    private final String subType;
    private final String scope;
    private final List<String> target;
    private final String agentSessionId;
    private final String delegationEdgeId;
    private final String sourceSessionId;
    private final String targetSessionId;
    private final List<String> delegationPath;
    private final List<Map<String, String>> delegationChain;
    private final Integer hopCount;
    private final String rootSid;
    private final long ttlSeconds;
    private final Map<String, Object> claimsOverride;

    private MintRequest(Builder b) {
        this.audience = b.audience;
        this.zoneId = b.zoneId;
        this.use = b.use;
        this.clientId = b.clientId;
        this.sub = b.sub;
        this.subType = b.subType;
        this.scope = b.scope;
        this.target = b.target;
        this.agentSessionId = b.agentSessionId;
        this.delegationEdgeId = b.delegationEdgeId;
        this.sourceSessionId = b.sourceSessionId;
        this.targetSessionId = b.targetSessionId;
        this.delegationPath = b.delegationPath;
        this.delegationChain = b.delegationChain == null ? null : List.copyOf(b.delegationChain);
        this.hopCount = b.hopCount;
        this.rootSid = b.rootSid;
        this.ttlSeconds = b.ttlSeconds;
        this.claimsOverride = Collections.unmodifiableMap(new LinkedHashMap<>(b.claimsOverride));
    }

    /** @return a builder with every field at its default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the audience; empty when not set (allowed only for {@code session}) */
    public List<String> audience() {
        return audience == null ? List.of() : audience;
    }

    /** @return the zone, or empty for the minting dev STS's first zone */
    public Optional<String> zoneId() {
        return Optional.ofNullable(zoneId);
    }

    /** @return {@code resource} (the default) or {@code session} */
    public String use() {
        return use;
    }

    /** @return the {@code client_id}; default {@code app_dev} */
    public String clientId() {
        return clientId;
    }

    /** @return the {@code sub}; default: the {@code client_id} */
    public String sub() {
        return sub == null ? clientId : sub;
    }

    /** @return {@code application} (the default) or {@code user} */
    public String subType() {
        return subType;
    }

    /** @return the space-delimited scope, or empty when there is none */
    public Optional<String> scope() {
        return Optional.ofNullable(scope);
    }

    /**
     * @return the explicit {@code target}, or empty when not set (a {@code resource} mandate then
     *         targets its audience); an explicitly empty list means no {@code target} claim
     */
    public Optional<List<String>> target() {
        return Optional.ofNullable(target);
    }

    /** @return the {@code agent_session_id} as requested ({@link #NEW} included), or empty */
    public Optional<String> agentSessionId() {
        return Optional.ofNullable(agentSessionId);
    }

    /** @return the {@code delegation_edge_id} as requested ({@link #NEW} included), or empty */
    public Optional<String> delegationEdgeId() {
        return Optional.ofNullable(delegationEdgeId);
    }

    /** @return the {@code source_session_id}, or empty */
    public Optional<String> sourceSessionId() {
        return Optional.ofNullable(sourceSessionId);
    }

    /** @return the {@code target_session_id}, or empty */
    public Optional<String> targetSessionId() {
        return Optional.ofNullable(targetSessionId);
    }

    /** @return the {@code delegation_path}; empty when not set */
    public List<String> delegationPath() {
        return delegationPath == null ? List.of() : delegationPath;
    }

    /**
     * @return the {@code delegation_chain} hops in order, each a map with {@code application_id} and,
     *         when set, {@code agent_session_id} and {@code delegation_edge_id}; empty when not set
     */
    public List<Map<String, String>> delegationChain() {
        return delegationChain == null ? List.of() : delegationChain;
    }

    /** @return the explicit {@code hop_count}, or empty for the default (the path length) */
    public OptionalInt hopCount() {
        return hopCount == null ? OptionalInt.empty() : OptionalInt.of(hopCount);
    }

    /** @return the {@code root_sid}, or empty for the new {@code sid} */
    public Optional<String> rootSid() {
        return Optional.ofNullable(rootSid);
    }

    /** @return the lifetime, or empty for the minting dev STS's default TTL */
    public Optional<Duration> ttl() {
        return ttlSeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(ttlSeconds));
    }

    /**
     * @return the {@code claims_override} entries in order; a {@code null} value removes that claim.
     *         Values are unmodifiable plain JSON values.
     */
    public Map<String, Object> claimsOverride() {
        return claimsOverride;
    }

    /**
     * Builder for {@link MintRequest}. Setters check their argument at once; {@link #build()} checks the
     * combination. Not thread-safe.
     */
    public static final class Builder {
        private List<String> audience;
        private String zoneId;
        private String use = "resource";
        private String clientId = "app_dev";
        private String sub;
        private String subType = "application";
        private String scope;
        private List<String> target;
        private String agentSessionId;
        private String delegationEdgeId;
        private String sourceSessionId;
        private String targetSessionId;
        private List<String> delegationPath;
        private List<Map<String, String>> delegationChain;
        private Integer hopCount;
        private String rootSid;
        private long ttlSeconds;
        private final Map<String, Object> claimsOverride = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param audience the resources the mandate is for (becomes {@code aud}, always an array); at
         *                 least one non-empty string. Ignored for {@code session}.
         * @return this builder
         */
        public Builder audience(String... audience) {
            return audience(Arrays.asList(Objects.requireNonNull(audience, "audience")));
        }

        /**
         * @param audience as {@link #audience(String...)}
         * @return this builder
         */
        public Builder audience(List<String> audience) {
            this.audience = strings(audience, "audience", true);
            return this;
        }

        /**
         * @param zoneId the zone, 1 to 128 characters; a zone without keys gets one
         * @return this builder
         */
        public Builder zoneId(String zoneId) {
            this.zoneId = ZoneIds.check(zoneId, ClaimNames.ZONE_ID);
            return this;
        }

        /**
         * @param use {@code resource} or {@code session}; {@code gateway} mandates are not minted
         * @return this builder
         */
        public Builder use(String use) {
            if (!"resource".equals(use) && !"session".equals(use)) {
                throw new InvalidRequestException("use must be \"resource\" or \"session\"");
            }
            this.use = use;
            return this;
        }

        /**
         * @param clientId the acting application; non-empty
         * @return this builder
         */
        public Builder clientId(String clientId) {
            this.clientId = text(clientId, ClaimNames.CLIENT_ID);
            return this;
        }

        /**
         * @param sub the subject; non-empty. Default: the {@code client_id}.
         * @return this builder
         */
        public Builder sub(String sub) {
            this.sub = text(sub, ClaimNames.SUB);
            return this;
        }

        /**
         * @param subType {@code application} or {@code user}
         * @return this builder
         */
        public Builder subType(String subType) {
            if (!"application".equals(subType) && !"user".equals(subType)) {
                throw new InvalidRequestException("sub_type must be \"application\" or \"user\"");
            }
            this.subType = subType;
            return this;
        }

        /**
         * @param scopes scope values, joined with single spaces; none (or only an empty string) means no
         *               {@code scope} claim
         * @return this builder
         */
        public Builder scope(String... scopes) {
            return scope(Arrays.asList(Objects.requireNonNull(scopes, "scope")));
        }

        /**
         * @param scopes as {@link #scope(String...)}
         * @return this builder
         */
        public Builder scope(List<String> scopes) {
            Objects.requireNonNull(scopes, "scope");
            List<String> parts = new ArrayList<>();
            for (String part : scopes) {
                if (part == null) {
                    throw new InvalidRequestException("scope must be a string or an array of strings");
                }
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            this.scope = parts.isEmpty() ? null : String.join(" ", parts);
            return this;
        }

        /**
         * @param target the {@code target} resources, each non-empty; an empty list means no
         *               {@code target} claim. Default: the audience for {@code resource}.
         * @return this builder
         */
        public Builder target(String... target) {
            return target(Arrays.asList(Objects.requireNonNull(target, "target")));
        }

        /**
         * @param target as {@link #target(String...)}
         * @return this builder
         */
        public Builder target(List<String> target) {
            this.target = strings(target, ClaimNames.TARGET, false);
            return this;
        }

        /**
         * @param agentSessionId the governed agent session, or {@link #NEW} for a fresh UUIDv7; an empty
         *                       string means none
         * @return this builder
         */
        public Builder agentSessionId(String agentSessionId) {
            this.agentSessionId = optionalText(agentSessionId, ClaimNames.AGENT_SESSION_ID);
            return this;
        }

        /**
         * @param delegationEdgeId the delegation edge, or {@link #NEW} for a fresh UUIDv7; an empty string
         *                         means none. A delegated mandate carries the zone's epoch when it is above 0.
         * @return this builder
         */
        public Builder delegationEdgeId(String delegationEdgeId) {
            this.delegationEdgeId = optionalText(delegationEdgeId, ClaimNames.DELEGATION_EDGE_ID);
            return this;
        }

        /**
         * @param sourceSessionId the {@code source_session_id}; an empty string means none
         * @return this builder
         */
        public Builder sourceSessionId(String sourceSessionId) {
            this.sourceSessionId = optionalText(sourceSessionId, ClaimNames.SOURCE_SESSION_ID);
            return this;
        }

        /**
         * @param targetSessionId the {@code target_session_id}; an empty string means none
         * @return this builder
         */
        public Builder targetSessionId(String targetSessionId) {
            this.targetSessionId = optionalText(targetSessionId, ClaimNames.TARGET_SESSION_ID);
            return this;
        }

        /**
         * @param edges the {@code delegation_path}, each non-empty; also the default {@code hop_count}
         * @return this builder
         */
        public Builder delegationPath(String... edges) {
            return delegationPath(Arrays.asList(Objects.requireNonNull(edges, "delegation_path")));
        }

        /**
         * @param edges as {@link #delegationPath(String...)}
         * @return this builder
         */
        public Builder delegationPath(List<String> edges) {
            this.delegationPath = strings(edges, ClaimNames.DELEGATION_PATH, false);
            return this;
        }

        /**
         * Appends one hop to {@code delegation_chain}.
         *
         * @param applicationId    the hop's application; non-empty
         * @param agentSessionId   the hop's agent session, or {@code null} / empty for none
         * @param delegationEdgeId the hop's delegation edge, or {@code null} / empty for none
         * @return this builder
         */
        public Builder chainHop(String applicationId, String agentSessionId, String delegationEdgeId) {
            Map<String, String> hop = new LinkedHashMap<>();
            hop.put(ClaimNames.APPLICATION_ID, text(applicationId, "delegation_chain.application_id"));
            if (agentSessionId != null && !agentSessionId.isEmpty()) {
                hop.put(ClaimNames.AGENT_SESSION_ID, agentSessionId);
            }
            if (delegationEdgeId != null && !delegationEdgeId.isEmpty()) {
                hop.put(ClaimNames.DELEGATION_EDGE_ID, delegationEdgeId);
            }
            if (delegationChain == null) {
                delegationChain = new ArrayList<>();
            }
            delegationChain.add(Collections.unmodifiableMap(hop));
            return this;
        }

        /**
         * Appends one hop with only an application to {@code delegation_chain}.
         *
         * @param applicationId the hop's application; non-empty
         * @return this builder
         */
        public Builder chainHop(String applicationId) {
            return chainHop(applicationId, null, null);
        }

        /**
         * @param hopCount the {@code hop_count}, at least 0; 0 means no claim
         * @return this builder
         */
        public Builder hopCount(int hopCount) {
            if (hopCount < 0) {
                throw new InvalidRequestException("hop_count must be an integer >= 0");
            }
            this.hopCount = hopCount;
            return this;
        }

        /**
         * @param rootSid the {@code root_sid}; non-empty. Default: the new {@code sid}.
         * @return this builder
         */
        public Builder rootSid(String rootSid) {
            this.rootSid = text(rootSid, ClaimNames.ROOT_SID);
            return this;
        }

        /**
         * @param ttl the lifetime in whole seconds; zero means the dev STS's default. At most
         *            {@link #MAX_RESOURCE_TTL} for {@code resource}, {@link #MAX_SESSION_TTL} for
         *            {@code session} (checked by {@link #build()}).
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl_seconds");
            if (ttl.isNegative()) {
                throw new InvalidRequestException("ttl_seconds must not be negative");
            }
            if (ttl.getNano() != 0) {
                throw new InvalidRequestException("ttl_seconds must be a whole number of seconds");
            }
            this.ttlSeconds = ttl.getSeconds();
            return this;
        }

        /**
         * Development only: replaces a claim after the claim set is built, or adds it. This is how
         * wrong-zone, expired and malformed mandates are made.
         *
         * @param name  the claim
         * @param value any JSON value as plain Java (maps with string keys, lists, strings, numbers,
         *              booleans); {@code null} removes the claim
         * @return this builder
         */
        public Builder overrideClaim(String name, Object value) {
            Objects.requireNonNull(name, "claims_override");
            try {
                claimsOverride.put(name, Json.copy(value));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("claims_override." + name + " is not a JSON value");
            }
            return this;
        }

        /**
         * Development only: removes a claim from the minted payload ({@code claims_override} with
         * {@code null}).
         *
         * @param name the claim
         * @return this builder
         */
        public Builder removeClaim(String name) {
            return overrideClaim(name, null);
        }

        /**
         * @return the request
         * @throws IllegalArgumentException when {@code resource} has no audience, or the TTL is above the
         *                                  cap of the use class
         */
        public MintRequest build() {
            boolean resource = "resource".equals(use);
            if (resource && (audience == null || audience.isEmpty())) {
                throw new InvalidRequestException("audience is required for use=resource");
            }
            long cap = (resource ? MAX_RESOURCE_TTL : MAX_SESSION_TTL).getSeconds();
            if (ttlSeconds > cap) {
                throw new InvalidRequestException("ttl_seconds must be at most " + cap + " for use=" + use);
            }
            return new MintRequest(this);
        }

        private static String text(String value, String field) {
            if (value == null || value.isEmpty()) {
                throw new InvalidRequestException(field + " must be a non-empty string");
            }
            return value;
        }

        private static String optionalText(String value, String field) {
            Objects.requireNonNull(value, field);
            return value.isEmpty() ? null : value;
        }

        private static List<String> strings(List<String> values, String field, boolean nonEmpty) {
            Objects.requireNonNull(values, field);
            if (nonEmpty && values.isEmpty()) {
                throw new InvalidRequestException(field + " must name at least one value");
            }
            for (String value : values) {
                if (value == null || value.isEmpty()) {
                    throw new InvalidRequestException(field + " must contain only non-empty strings");
                }
            }
            return List.copyOf(values);
        }
    }
}
