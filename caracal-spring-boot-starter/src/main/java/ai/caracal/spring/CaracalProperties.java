package ai.caracal.spring;

import ai.caracal.verify.http.EarlyAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

// Why this file is long: Spring Boot binds the whole caracal.* tree into one @ConfigurationProperties
// class with nested static groups, as Spring's own property classes do, so that the generated
// configuration metadata mirrors the property table of connectors.md §6.1. Every property needs a
// documented field plus the getter and setter binding uses, so the length follows the number of
// properties.

/**
 * The {@code caracal.*} properties (connectors.md §6.1). Lists left unset are {@code null} where "unset"
 * and "empty" mean different things (route lists: unset keeps the default rule's list, empty clears it).
 * Bound by Spring; not thread-safe while binding, read-only afterwards.
 *
 * <p>One class with nested groups, as Spring's own property classes are, so that the generated
 * configuration metadata mirrors the property table of the specification.
 */
@ConfigurationProperties("caracal")
public class CaracalProperties {

    /** Whether the Caracal auto-configuration is active at all. */
    private boolean enabled = true;

    /** The issuer (zone STS base URL). Default: the environment variable CARACAL_STS_URL. */
    private String stsUrl;

    /** This resource's audience (required): the value every mandate's aud must contain. */
    private String audience;

    /** The zone mandates must belong to. Default: the environment variable CARACAL_ZONE_ID. */
    private String zoneId;

    /** Scopes every mandate must grant (default rule). */
    private List<String> requiredScopes = new ArrayList<>();

    /** Targets every mandate's target must contain (default rule). */
    private List<String> requiredTargets = new ArrayList<>();

    /** Application IDs the delegation chain must contain (default rule). */
    private List<String> requireChainContains = new ArrayList<>();

    /** Whether an agent session (agent_session_id) is required (default rule). */
    private boolean requireAgent;

    /** Whether a delegation edge (delegation_edge_id) is required (default rule). */
    private boolean requireDelegation;

    /** The largest accepted hop_count (default rule). */
    private int maxHopCount = 10;

    /** The required use class: resource or session. */
    private String requiredUse = "resource";

    /** URL patterns the filter is mapped to. */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

    /** Path prefixes that pass unverified and without claims. */
    private List<String> exclude = new ArrayList<>();

    /** Route rules: the longest matching prefix wins, rules never stack. */
    private List<Route> routes = new ArrayList<>();

    /** Whether CORS preflights (OPTIONS with Origin and Access-Control-Request-Method) pass unverified. */
    private boolean permitPreflight;

    /** Order of the filter registration: after Spring Security's chain (-100), before application filters. */
    private int filterOrder = -90;

    /**
     * How much of a rejected request's body the filter reads and discards after its 401/403, so a client
     * still sending gets the answer instead of a connection reset; set it to the largest body the
     * application accepts. 0 reads nothing and closes such connections.
     */
    private DataSize drainLimit = DataSize.ofBytes(EarlyAnswer.DEFAULT_DRAIN_LIMIT);

    /** Warm the key set up when the application is ready; a failure is logged, not fatal. */
    private boolean warmupOnStartup = true;

    /**
     * Scope hierarchy: each broader scope mapped to the narrower scopes it implies (transitively; no
     * cycles), for every scope check of the verifier, the routes, @CaracalRequires and an MCP policy.
     * Empty: exact matching.
     */
    private Map<String, List<String>> scopeHierarchy = new LinkedHashMap<>();

    private final OriginCheck originCheck = new OriginCheck();
    private final WwwAuthenticate wwwAuthenticate = new WwwAuthenticate();
    private final ResourceMetadata resourceMetadata = new ResourceMetadata();
    private final Jwks jwks = new Jwks();
    private final Revocation revocation = new Revocation();
    private final TokenState tokenState = new TokenState();
    private final Tracing tracing = new Tracing();
    private final Audit audit = new Audit();
    private final LiveConnections liveConnections = new LiveConnections();

    // @formatter:off
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getStsUrl() { return stsUrl; }
    public void setStsUrl(String stsUrl) { this.stsUrl = stsUrl; }
    public String getAudience() { return audience; }
    public void setAudience(String audience) { this.audience = audience; }
    public String getZoneId() { return zoneId; }
    public void setZoneId(String zoneId) { this.zoneId = zoneId; }
    public List<String> getRequiredScopes() { return requiredScopes; }
    public void setRequiredScopes(List<String> requiredScopes) { this.requiredScopes = requiredScopes; }
    public List<String> getRequiredTargets() { return requiredTargets; }
    public void setRequiredTargets(List<String> requiredTargets) { this.requiredTargets = requiredTargets; }
    public List<String> getRequireChainContains() { return requireChainContains; }
    public void setRequireChainContains(List<String> requireChainContains) { this.requireChainContains = requireChainContains; }
    public boolean isRequireAgent() { return requireAgent; }
    public void setRequireAgent(boolean requireAgent) { this.requireAgent = requireAgent; }
    public boolean isRequireDelegation() { return requireDelegation; }
    public void setRequireDelegation(boolean requireDelegation) { this.requireDelegation = requireDelegation; }
    public int getMaxHopCount() { return maxHopCount; }
    public void setMaxHopCount(int maxHopCount) { this.maxHopCount = maxHopCount; }
    public String getRequiredUse() { return requiredUse; }
    public void setRequiredUse(String requiredUse) { this.requiredUse = requiredUse; }
    public List<String> getUrlPatterns() { return urlPatterns; }
    public void setUrlPatterns(List<String> urlPatterns) { this.urlPatterns = urlPatterns; }
    public List<String> getExclude() { return exclude; }
    public void setExclude(List<String> exclude) { this.exclude = exclude; }
    public List<Route> getRoutes() { return routes; }
    public void setRoutes(List<Route> routes) { this.routes = routes; }
    public boolean isPermitPreflight() { return permitPreflight; }
    public void setPermitPreflight(boolean permitPreflight) { this.permitPreflight = permitPreflight; }
    public int getFilterOrder() { return filterOrder; }
    public void setFilterOrder(int filterOrder) { this.filterOrder = filterOrder; }
    public DataSize getDrainLimit() { return drainLimit; }
    public void setDrainLimit(DataSize drainLimit) { this.drainLimit = drainLimit; }
    public boolean isWarmupOnStartup() { return warmupOnStartup; }
    public void setWarmupOnStartup(boolean warmupOnStartup) { this.warmupOnStartup = warmupOnStartup; }
    public Map<String, List<String>> getScopeHierarchy() { return scopeHierarchy; }
    public void setScopeHierarchy(Map<String, List<String>> scopeHierarchy) { this.scopeHierarchy = scopeHierarchy; }
    public OriginCheck getOriginCheck() { return originCheck; }
    public WwwAuthenticate getWwwAuthenticate() { return wwwAuthenticate; }
    public ResourceMetadata getResourceMetadata() { return resourceMetadata; }
    public Jwks getJwks() { return jwks; }
    public Revocation getRevocation() { return revocation; }
    public TokenState getTokenState() { return tokenState; }
    public Tracing getTracing() { return tracing; }
    public Audit getAudit() { return audit; }
    public LiveConnections getLiveConnections() { return liveConnections; }
    // @formatter:on

    /** One route rule ({@code caracal.routes[n].*}); unset fields keep the default rule's value. */
    public static class Route {

        /** Path prefix starting with "/"; matches the prefix itself and every path below it. */
        private String prefix;

        /** Scopes required on this route; replaces the default list when set. */
        private List<String> requiredScopes;

        /** Targets required on this route; replaces the default list when set. */
        private List<String> requiredTargets;

        /** Whether an agent session is required on this route (can only tighten the default). */
        private boolean requireAgent;

        /** Whether a delegation edge is required on this route (can only tighten the default). */
        private boolean requireDelegation;

        /** Application IDs the delegation chain must contain on this route; replaces the default when set. */
        private List<String> requireChainContains;

        /** Hop limit on this route; replaces the default when greater than 0. */
        private int maxHopCount;

        /** Required use class on this route; replaces the default when set. */
        private String requiredUse;

        // @formatter:off
        public String getPrefix() { return prefix; }
        public void setPrefix(String prefix) { this.prefix = prefix; }
        public List<String> getRequiredScopes() { return requiredScopes; }
        public void setRequiredScopes(List<String> requiredScopes) { this.requiredScopes = requiredScopes; }
        public List<String> getRequiredTargets() { return requiredTargets; }
        public void setRequiredTargets(List<String> requiredTargets) { this.requiredTargets = requiredTargets; }
        public boolean isRequireAgent() { return requireAgent; }
        public void setRequireAgent(boolean requireAgent) { this.requireAgent = requireAgent; }
        public boolean isRequireDelegation() { return requireDelegation; }
        public void setRequireDelegation(boolean requireDelegation) { this.requireDelegation = requireDelegation; }
        public List<String> getRequireChainContains() { return requireChainContains; }
        public void setRequireChainContains(List<String> requireChainContains) { this.requireChainContains = requireChainContains; }
        public int getMaxHopCount() { return maxHopCount; }
        public void setMaxHopCount(int maxHopCount) { this.maxHopCount = maxHopCount; }
        public String getRequiredUse() { return requiredUse; }
        public void setRequiredUse(String requiredUse) { this.requiredUse = requiredUse; }
        // @formatter:on
    }

    /** The MCP Origin rule ({@code caracal.origin-check.*}, connectors.md §10.2 M8). */
    public static class OriginCheck {

        /**
         * Whether a request carrying an Origin header that is neither its own nor an allowed one is answered
         * 403 with a JSON-RPC error body before its mandate is looked at (the MCP Origin rule).
         */
        private boolean enabled;

        /** Further allowed origins, scheme://host[:port]; the request's own origin is always allowed. */
        private List<String> allowedOrigins = new ArrayList<>();

        // @formatter:off
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public List<String> getAllowedOrigins() { return allowedOrigins; }
        public void setAllowedOrigins(List<String> allowedOrigins) { this.allowedOrigins = allowedOrigins; }
        // @formatter:on
    }

    /**
     * Open SSE streams and WebSockets ({@code caracal.live-connections.*}, connectors.md §10.4): they end at
     * their mandate's expiry and when a re-check finds it revoked or stale.
     */
    public static class LiveConnections {

        /**
         * How often every open connection is re-checked against the revocation store. With the Redis
         * consumers, a revocation this replica applies triggers a re-check at once as well.
         */
        private Duration recheckInterval = ai.caracal.verify.http.LiveConnections.DEFAULT_RECHECK_INTERVAL;

        /**
         * Whether the WebSocket service of WebFlux applications (Spring's default or your own) is wrapped in a
         * CaracalWebSocketService, so that verified WebSockets are closed with 1008 when their mandate ends.
         */
        private boolean webSocketService = true;

        // @formatter:off
        public Duration getRecheckInterval() { return recheckInterval; }
        public void setRecheckInterval(Duration recheckInterval) { this.recheckInterval = recheckInterval; }
        public boolean isWebSocketService() { return webSocketService; }
        public void setWebSocketService(boolean webSocketService) { this.webSocketService = webSocketService; }
        // @formatter:on
    }

    /** Spans and W3C baggage ({@code caracal.tracing.*}). */
    public static class Tracing {

        /** Whether the verifier records observations (spans) in the ObservationRegistry bean, when there is one. */
        private boolean enabled = true;

        /** Whether verified requests carry the caracal.* W3C baggage (OpenTelemetry context, servlet applications). */
        private boolean baggage = true;

        // @formatter:off
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public boolean isBaggage() { return baggage; }
        public void setBaggage(boolean baggage) { this.baggage = baggage; }
        // @formatter:on
    }

    /** Audit events of the boundary's decisions ({@code caracal.audit.*}). */
    public static class Audit {

        /** Whether each decision is logged as one JSON line to the caracal.audit logger (or caracal.audit.logger). */
        private boolean log;

        /** The SLF4J logger of the JSON-lines sink. */
        private String logger = "caracal.audit";

        /** Events held while the sinks are slow; beyond, events are dropped and counted. */
        private int capacity = 10_000;

        private final Redis redis = new Redis();

        // @formatter:off
        public boolean isLog() { return log; }
        public void setLog(boolean log) { this.log = log; }
        public String getLogger() { return logger; }
        public void setLogger(String logger) { this.logger = logger; }
        public int getCapacity() { return capacity; }
        public void setCapacity(int capacity) { this.capacity = capacity; }
        public Redis getRedis() { return redis; }
        // @formatter:on

        /** The Redis stream sink ({@code caracal.audit.redis.*}); needs the Redis revocation store. */
        public static class Redis {

            /** Whether decisions are appended to a Redis stream (the revocation store's Redis). */
            private boolean enabled;

            /** The audit stream. */
            private String stream = "caracal.audit.events";

            /** The stream's approximate bound (MAXLEN ~). */
            private long maxLength = 100_000;

            // @formatter:off
            public boolean isEnabled() { return enabled; }
            public void setEnabled(boolean enabled) { this.enabled = enabled; }
            public String getStream() { return stream; }
            public void setStream(String stream) { this.stream = stream; }
            public long getMaxLength() { return maxLength; }
            public void setMaxLength(long maxLength) { this.maxLength = maxLength; }
            // @formatter:on
        }
    }

    /** The RFC 6750 challenge ({@code caracal.www-authenticate.*}). */
    public static class WwwAuthenticate {

        /** Whether rejections carry a WWW-Authenticate challenge. */
        private boolean enabled = true;

        /** The challenge's realm; none when unset. */
        private String realm;

        // @formatter:off
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getRealm() { return realm; }
        public void setRealm(String realm) { this.realm = realm; }
        // @formatter:on
    }

    /** RFC 9728 protected resource metadata ({@code caracal.resource-metadata.*}). */
    public static class ResourceMetadata {

        /** Whether the metadata document is served at its well-known path and advertised in challenges. */
        private boolean enabled;

        /** The resource identifier clients see. Default: caracal.audience. */
        private String resource;

        /** The authorization_servers of the document. Default: the issuer. */
        private List<String> authorizationServers;

        /** The scopes_supported of the document. Default: the required scopes of the default rule and the routes. */
        private List<String> scopesSupported;

        /** A human-readable resource_name. */
        private String resourceName;

        /** Where clients fetch the document. Default: the resource's origin plus the document path (required for a non-http(s) resource). */
        private String metadataUrl;

        // @formatter:off
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getResource() { return resource; }
        public void setResource(String resource) { this.resource = resource; }
        public List<String> getAuthorizationServers() { return authorizationServers; }
        public void setAuthorizationServers(List<String> authorizationServers) { this.authorizationServers = authorizationServers; }
        public List<String> getScopesSupported() { return scopesSupported; }
        public void setScopesSupported(List<String> scopesSupported) { this.scopesSupported = scopesSupported; }
        public String getResourceName() { return resourceName; }
        public void setResourceName(String resourceName) { this.resourceName = resourceName; }
        public String getMetadataUrl() { return metadataUrl; }
        public void setMetadataUrl(String metadataUrl) { this.metadataUrl = metadataUrl; }
        // @formatter:on
    }

    /** The key set cache ({@code caracal.jwks.*}). */
    public static class Jwks {

        /** How long a fetched key set is fresh. */
        private Duration ttl = Duration.ofMinutes(5);

        /** Age after which a key set is no longer used (at least the ttl). */
        private Duration maxStale = Duration.ofMinutes(10);

        /** Deadline of one key set fetch. */
        private Duration fetchTimeout = Duration.ofSeconds(5);

        /** Minimum spacing of background refreshes and unknown-kid refetches. */
        private Duration refetchCooldown = Duration.ofSeconds(30);

        // @formatter:off
        public Duration getTtl() { return ttl; }
        public void setTtl(Duration ttl) { this.ttl = ttl; }
        public Duration getMaxStale() { return maxStale; }
        public void setMaxStale(Duration maxStale) { this.maxStale = maxStale; }
        public Duration getFetchTimeout() { return fetchTimeout; }
        public void setFetchTimeout(Duration fetchTimeout) { this.fetchTimeout = fetchTimeout; }
        public Duration getRefetchCooldown() { return refetchCooldown; }
        public void setRefetchCooldown(Duration refetchCooldown) { this.refetchCooldown = refetchCooldown; }
        // @formatter:on
    }

    /** Which revocation store backs the verifier ({@code caracal.revocation.store}). */
    public enum StoreType {
        /** In-process store: development and single-instance deployments. */
        MEMORY,
        /** Redis store shared by every replica, fed by the revocation streams. */
        REDIS
    }

    /** The revocation store ({@code caracal.revocation.*}). */
    public static class Revocation {

        /** memory or redis. Unset: redis when caracal.revocation.redis.url is set; otherwise a RevocationStore bean is required. */
        private StoreType store;

        private final Memory memory = new Memory();
        private final Redis redis = new Redis();

        // @formatter:off
        public StoreType getStore() { return store; }
        public void setStore(StoreType store) { this.store = store; }
        public Memory getMemory() { return memory; }
        public Redis getRedis() { return redis; }
        // @formatter:on
    }

    /** The in-memory store ({@code caracal.revocation.memory.*}). */
    public static class Memory {

        /** The largest number of revoked anchors held. */
        private int maxEntries = 100_000;

        /** How long a revocation is kept when it carries no expiry. */
        private Duration defaultTtl = Duration.ofHours(24);

        // @formatter:off
        public int getMaxEntries() { return maxEntries; }
        public void setMaxEntries(int maxEntries) { this.maxEntries = maxEntries; }
        public Duration getDefaultTtl() { return defaultTtl; }
        public void setDefaultTtl(Duration defaultTtl) { this.defaultTtl = defaultTtl; }
        // @formatter:on
    }

    /** The Redis store ({@code caracal.revocation.redis.*}). */
    public static class Redis {

        /** Redis URL, for example redis://localhost:6379; setting it selects the Redis store. */
        private String url;

        /** Prefix of every key the store writes. */
        private String keyPrefix = "caracal:revoked:sessions:";

        /** How long a revocation is kept when it carries no expiry. */
        private Duration defaultTtl = Duration.ofHours(24);

        /** Whether a Redis error rejects mandates (true) or lets them pass (false). */
        private boolean failClosed = true;

        /** Deadline of one Redis command. */
        private Duration commandTimeout = Duration.ofMillis(250);

        private final Consumer consumer = new Consumer();

        // @formatter:off
        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getKeyPrefix() { return keyPrefix; }
        public void setKeyPrefix(String keyPrefix) { this.keyPrefix = keyPrefix; }
        public Duration getDefaultTtl() { return defaultTtl; }
        public void setDefaultTtl(Duration defaultTtl) { this.defaultTtl = defaultTtl; }
        public boolean isFailClosed() { return failClosed; }
        public void setFailClosed(boolean failClosed) { this.failClosed = failClosed; }
        public Duration getCommandTimeout() { return commandTimeout; }
        public void setCommandTimeout(Duration commandTimeout) { this.commandTimeout = commandTimeout; }
        public Consumer getConsumer() { return consumer; }
        // @formatter:on
    }

    /** The revocation stream consumers ({@code caracal.revocation.redis.consumer.*}). */
    public static class Consumer {

        /** Whether the revocation and delegation-invalidation consumers run (Redis store only). */
        private boolean enabled = true;

        /** Consumer name, unique per instance. Default: hostname-pid. */
        private String name;

        /**
         * Consumer group of the revocation stream. Its members share the entries; all must have the same
         * stream keys or none (a member that differs is refused at start).
         */
        private String revocationGroup = "resource-revocation";

        /**
         * Consumer group of the delegation-invalidation stream. Its members share the entries; all must
         * have the same stream keys or none (a member that differs is refused at start).
         */
        private String delegationGroup = "resource-delegation-invalidation";

        /** Entries read per poll. */
        private int batchSize = 50;

        /** How long one read blocks waiting for entries (1 ms to 60 s). */
        private Duration block = Duration.ofSeconds(2);

        /** Idle time after which a pending entry is re-claimed. */
        private Duration pendingIdle = Duration.ofSeconds(30);

        /**
         * Stream signature keys, hex, each at least 32 bytes; comma-separated during a key rotation (an
         * entry signed with any of them is accepted). For example ${STREAMS_HMAC_KEY}.
         */
        private List<String> streamHmacKey = new ArrayList<>();

        /** Whether unsigned entries are dead-lettered. Default: true when a key is set. */
        private Boolean requireSignature;

        /** Approximate maximum length of the dead-letter streams. */
        private long deadLetterMaxLength = 10_000;

        // @formatter:off
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getRevocationGroup() { return revocationGroup; }
        public void setRevocationGroup(String revocationGroup) { this.revocationGroup = revocationGroup; }
        public String getDelegationGroup() { return delegationGroup; }
        public void setDelegationGroup(String delegationGroup) { this.delegationGroup = delegationGroup; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public Duration getBlock() { return block; }
        public void setBlock(Duration block) { this.block = block; }
        public Duration getPendingIdle() { return pendingIdle; }
        public void setPendingIdle(Duration pendingIdle) { this.pendingIdle = pendingIdle; }
        public List<String> getStreamHmacKey() { return streamHmacKey; }
        public void setStreamHmacKey(List<String> streamHmacKey) { this.streamHmacKey = streamHmacKey; }
        public Boolean getRequireSignature() { return requireSignature; }
        public void setRequireSignature(Boolean requireSignature) { this.requireSignature = requireSignature; }
        public long getDeadLetterMaxLength() { return deadLetterMaxLength; }
        public void setDeadLetterMaxLength(long deadLetterMaxLength) { this.deadLetterMaxLength = deadLetterMaxLength; }
        // @formatter:on
    }

    /** Token state ({@code caracal.token-state.*}). */
    public static class TokenState {

        private final Postgres postgres = new Postgres();

        public Postgres getPostgres() {
            return postgres;
        }
    }

    /** Postgres token state ({@code caracal.token-state.postgres.*}), on the application's DataSource. */
    public static class Postgres {

        /** Whether per-subject token state is kept in Postgres (needs caracal-tokenstate-postgres and a DataSource). */
        private boolean enabled;

        /** Whether the mcp_token_state table is created at startup when missing. */
        private boolean migrate = true;

        /** Whether every successful verification records (zone, sub, scope, expiry). */
        private boolean recordOnVerify = true;

        // @formatter:off
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public boolean isMigrate() { return migrate; }
        public void setMigrate(boolean migrate) { this.migrate = migrate; }
        public boolean isRecordOnVerify() { return recordOnVerify; }
        public void setRecordOnVerify(boolean recordOnVerify) { this.recordOnVerify = recordOnVerify; }
        // @formatter:on
    }
}
