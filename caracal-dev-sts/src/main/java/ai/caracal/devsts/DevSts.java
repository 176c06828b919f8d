package ai.caracal.devsts;

import ai.caracal.mint.Es256Key;
import ai.caracal.revocation.RevocationStore;
import ai.caracal.revocation.redis.StreamPublisher;
import ai.caracal.verify.ClaimNames;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

// Why this file is long: about half of it is the documented options of the public DevSts.Builder, which
// belong with the type they build; the rest is one documented Java method per endpoint (mint, revoke,
// invalidate, rotate, zones) with the endpoint's rules. The work itself is delegated to package-private
// classes (Minter, ZoneKeys, ZoneEpochs, Router, RequestParsers).

/**
 * A development-only mandate issuer (devtools.md §1): per-zone ES256 keys published as a JWKS, and
 * endpoints to mint mandates, revoke anchors, invalidate delegations and rotate keys, served over the
 * JDK {@code HttpServer}. <b>It is not a Caracal STS</b> and must never run in a deployment: it has no
 * authentication, binds loopback only unless told otherwise, answers only requests whose {@code Host}
 * names it (a loopback name, its bind host or its issuer's host: 421 otherwise, against DNS rebinding),
 * prints a banner to stderr, and refuses to
 * start when the environment variable {@code CARACAL_MODE} is {@code rc} or {@code stable} (the only
 * environment variable it reads).
 *
 * <pre>{@code
 * try (DevSts sts = DevSts.builder().zones("zone_dev").revocations(store).start()) {
 *     MintResponse minted = sts.mint(MintRequest.builder().audience("resource://documents")
 *             .scope("tool:call").agentSessionId(MintRequest.NEW).build());
 *     MandateVerifier verifier = MandateVerifier.builder().issuer(sts.issuer())
 *             .audience("resource://documents").zoneId("zone_dev").revocations(store).build();
 * }
 * }</pre>
 *
 * <p>Every endpoint has a Java method with the same rules and results, so embedders (the test kit, the
 * demo, the CLI) need no HTTP. Invalid arguments throw {@link IllegalArgumentException} whose message
 * names the wire field (the endpoint's 400). A store or Redis write that fails throws
 * {@link ai.caracal.revocation.RevocationStoreException} (the endpoint's 503).
 *
 * <p>Keys are created per zone at start (for {@link Builder#zones configured zones}) or at the first
 * mint, kept in memory, and written to a key directory when one is set. Epochs are always in memory.
 * Tokens and key material are never logged. Thread-safe. {@link #close()} stops the server and closes
 * the Redis connection the dev STS opened; it never closes the attached {@link RevocationStore}.
 */
public final class DevSts implements AutoCloseable {

    /** The default zone: {@code zone_dev}. */
    public static final String DEFAULT_ZONE = "zone_dev";

    /** The default mandate lifetime and its upper bound: 900 s. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(900);

    private final String url;
    private final String issuer;
    private final int port;
    private final List<String> configuredZones;
    private final Duration defaultTtl;
    private final RevocationStore revocations;
    private final StreamPublisher publisher;
    private final UuidV7 ids;
    private final ZoneKeys keys;
    private final ZoneEpochs epochs = new ZoneEpochs();
    private final Minter minter;
    private final DevStsServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DevSts(Builder builder, DevStsServer server, ZoneKeys keys, UuidV7 ids,
            StreamPublisher publisher) {
        this.server = server;
        this.port = server.port();
        this.url = server.url(builder.host);
        this.issuer = builder.issuer != null ? builder.issuer : url;
        this.configuredZones = List.copyOf(builder.zones);
        this.defaultTtl = builder.defaultTtl;
        this.revocations = builder.revocations;
        this.publisher = publisher;
        this.ids = ids;
        this.keys = keys;
        this.minter = new Minter(issuer, builder.clock, ids);
    }

    /** @return a builder with the defaults of devtools.md §1.2 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the server's own base URL, {@code http://<host>:<port>}, without a trailing slash */
    public String url() {
        return url;
    }

    /** @return the {@code iss} of minted mandates: the configured issuer, or {@link #url()} */
    public String issuer() {
        return issuer;
    }

    /** @return the bound port (the real one when the builder asked for port 0) */
    public int port() {
        return port;
    }

    /** @return the first configured zone: the default of {@code zone_id} in every request */
    public String defaultZone() {
        return configuredZones.get(0);
    }

    /**
     * @param zoneId a zone
     * @return this server's JWKS URL for the zone, {@code <url>/.well-known/jwks.json?zone_id=<zone>}
     */
    public URI jwksUri(String zoneId) {
        Objects.requireNonNull(zoneId, "zoneId");
        return URI.create(url + "/.well-known/jwks.json?zone_id=" + URLEncoder.encode(zoneId, StandardCharsets.UTF_8));
    }

    /**
     * Mints a mandate ({@code POST /dev/mint}). A zone without keys gets its first key now.
     *
     * @param request what to mint; its zone defaults to {@link #defaultZone()}, its TTL to the
     *                configured default
     * @return the token response
     */
    public MintResponse mint(MintRequest request) {
        Objects.requireNonNull(request, "request");
        String zone = request.zoneId().orElse(defaultZone());
        long ttl = request.ttl().orElse(defaultTtl).getSeconds();
        return minter.mint(request, zone, keys.activeKey(zone), ttl, epochs.current(zone));
    }

    /**
     * Revokes anchors ({@code POST /dev/revoke}): {@code revoke(anchor)} with the default TTL on the
     * attached store for each distinct anchor, then one event on {@code caracal.sessions.revoke} when
     * Redis is configured.
     *
     * @param request the anchors; its zone defaults to {@link #defaultZone()}
     * @return what was done
     * @throws IllegalArgumentException when neither a store nor Redis is configured ("nothing to revoke into")
     * @throws ai.caracal.revocation.RevocationStoreException when the store or Redis write fails
     */
    public RevokeResult revoke(RevokeRequest request) {
        Objects.requireNonNull(request, "request");
        if (revocations == null && publisher == null) {
            throw new InvalidRequestException("nothing to revoke into: no revocation store is attached and Redis is not configured");
        }
        String zone = request.zoneId().orElse(defaultZone());
        List<String> anchors = request.anchors();
        if (revocations != null) {
            anchors.forEach(revocations::revoke);
        }
        Optional<String> streamId = Optional.empty();
        if (publisher != null) {
            streamId = Optional.of(publish(RevokeResult.STREAM, StreamEvents.revocation(zone, request, ids.next())));
        }
        return new RevokeResult(anchors, revocations != null, publisher != null, streamId);
    }

    /**
     * Bumps the zone's delegation graph epoch by one ({@code POST /dev/delegations/invalidate} without
     * {@code epoch}).
     *
     * @param zoneId the zone, 1 to 128 characters
     * @return the new epoch and what was done
     */
    public InvalidateResult invalidateDelegations(String zoneId) {
        return invalidateDelegations(zoneId, 0);
    }

    /**
     * Raises the zone's delegation graph epoch to {@code max(current + 1, epoch)}: the dev STS's own
     * epoch (stamped on later delegated mints), then the attached store's
     * ({@code advanceDelegationEpoch}), then one event on {@code caracal.delegations.invalidate} when
     * Redis is configured.
     *
     * @param zoneId the zone, 1 to 128 characters
     * @param epoch  the requested epoch, at least 0
     * @return the new epoch and what was done
     * @throws ai.caracal.revocation.RevocationStoreException when the store or Redis write fails
     */
    public InvalidateResult invalidateDelegations(String zoneId, long epoch) {
        String zone = ZoneIds.check(zoneId, ClaimNames.ZONE_ID);
        if (epoch < 0) {
            throw new InvalidRequestException("epoch must be an integer >= 0");
        }
        long next = epochs.raise(zone, epoch);
        if (revocations != null) {
            revocations.advanceDelegationEpoch(zone, next);
        }
        Optional<String> streamId = Optional.empty();
        if (publisher != null) {
            streamId = Optional.of(publish(InvalidateResult.STREAM, StreamEvents.invalidation(zone, next, ids.next())));
        }
        return new InvalidateResult(zone, next, revocations != null, publisher != null, streamId);
    }

    /**
     * Publishes one event. The signer refuses fields its signature could not bind unambiguously (a line
     * feed in the zone, state.md S67): that is the request's fault, so it becomes a 400.
     */
    private String publish(String stream, Map<String, String> fields) {
        try {
            return publisher.publish(stream, fields);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /**
     * Rotates the zone's signing key ({@code POST /dev/zones/{zone}/rotate}): a new key signs from now
     * on, and the previous one stays in the JWKS for 24 h on the configured clock. A zone without keys
     * gets its first key.
     *
     * @param zoneId the zone, 1 to 128 characters
     * @return the new and previous kid
     */
    public RotateResult rotate(String zoneId) {
        String zone = ZoneIds.check(zoneId, ClaimNames.ZONE_ID);
        ZoneKeys.Rotation rotation = keys.rotate(zone);
        return new RotateResult(zone, rotation.kid(), Optional.ofNullable(rotation.previousKid()));
    }

    /**
     * @return every zone with keys or a raised epoch ({@code GET /dev/zones}): configured zones first,
     *         then the others in the order they appeared
     */
    public List<ZoneInfo> zones() {
        Map<String, Long> raised = epochs.snapshot();
        Set<String> names = new LinkedHashSet<>(keys.zones());
        names.addAll(raised.keySet());
        List<ZoneInfo> zones = new ArrayList<>();
        for (String zone : names) {
            List<String> kids = new ArrayList<>();
            keys.published(zone).forEach(key -> kids.add(key.kid()));
            zones.add(new ZoneInfo(zone, kids, raised.getOrDefault(zone, 0L)));
        }
        return zones;
    }

    /** The zone's published keys, newest first; never creates one. */
    List<Es256Key> publishedKeys(String zone) {
        return keys.published(zone);
    }

    /**
     * Stops the HTTP server at once and closes the Redis connection the dev STS opened. The attached
     * store is the caller's and stays open. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } finally {
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    @Override
    public String toString() {
        return "DevSts[" + url + ", issuer=" + issuer + "]";
    }

    /**
     * Builder for {@link DevSts}, with the options of devtools.md §1.2. Apart from the
     * {@code CARACAL_MODE} check, it never reads the environment: {@code REDIS_URL} and
     * {@code STREAMS_HMAC_KEY} are the CLI's defaults, not this builder's. Each option is checked when
     * it is set. Not thread-safe.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String issuer;
        private final List<String> zones = new ArrayList<>(List.of(DEFAULT_ZONE));
        private Path keyDir;
        private RevocationStore revocations;
        private String redis;
        private byte[] streamHmacKey;
        private Duration defaultTtl = DEFAULT_TTL;
        private Clock clock = Clock.systemUTC();
        private boolean allowRemote;
        private Consumer<String> requestLog = line -> { };

        private Builder() {
        }

        /**
         * @param host the bind address or name; default {@code 127.0.0.1}. An address that is not
         *             loopback needs {@link #allowRemote(boolean)}.
         * @return this builder
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /**
         * @param port the port; default 0 (a free port, see {@link DevSts#port()})
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535");
            }
            this.port = port;
            return this;
        }

        /**
         * @param issuer the {@code iss} of minted mandates, used exactly as given (for a dev STS behind a
         *               proxy); an absolute {@code http} or {@code https} URL without query or fragment.
         *               Default: {@code http://<host>:<port>}, no trailing slash.
         * @return this builder
         */
        public Builder issuer(String issuer) {
            Objects.requireNonNull(issuer, "issuer");
            try {
                URI uri = new URI(issuer);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException("issuer must be an absolute http(s) URL without query or fragment");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("issuer is not a URL", e);
            }
            this.issuer = issuer;
            return this;
        }

        /**
         * @param zones the zones whose keys are created (or reloaded) at start, in order; the first is
         *              the default zone of every request. Default: {@code zone_dev}. Duplicates are
         *              dropped.
         * @return this builder
         */
        public Builder zones(String... zones) {
            return zones(Arrays.asList(Objects.requireNonNull(zones, "zones")));
        }

        /**
         * @param zones as {@link #zones(String...)}; at least one
         * @return this builder
         */
        public Builder zones(List<String> zones) {
            Objects.requireNonNull(zones, "zones");
            if (zones.isEmpty()) {
                throw new IllegalArgumentException("zones must name at least one zone");
            }
            Set<String> distinct = new LinkedHashSet<>();
            for (String zone : zones) {
                distinct.add(ZoneIds.check(zone, "zones"));
            }
            this.zones.clear();
            this.zones.addAll(distinct);
            return this;
        }

        /**
         * @param keyDir where keys persist, as {@code <dir>/<zone>/<kid>.pem} (PKCS#8, mode 0600), and
         *               are reloaded from at start; default none (keys live in memory only). Created when
         *               missing.
         * @return this builder
         */
        public Builder keyDir(Path keyDir) {
            this.keyDir = Objects.requireNonNull(keyDir, "keyDir");
            return this;
        }

        /**
         * @param revocations an in-process store that revoke and invalidate write to; default none.
         *                    Caller-owned: never closed by the dev STS.
         * @return this builder
         */
        public Builder revocations(RevocationStore revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        /**
         * Publishes revoke and invalidate events onto the Redis streams. The dev STS creates and owns its
         * own Lettuce client for this URL, connects at the first publish, and closes it in
         * {@link DevSts#close()}. Needs {@code ai.caracal:caracal-revocation-redis} (and so Lettuce) on the
         * class path.
         *
         * @param redisUrl a Redis URI such as {@code redis://127.0.0.1:6379}; default none
         * @return this builder
         */
        public Builder redis(String redisUrl) {
            Objects.requireNonNull(redisUrl, "redis");
            if (redisUrl.isBlank()) {
                throw new IllegalArgumentException("redis must not be blank");
            }
            this.redis = redisUrl;
            return this;
        }

        /**
         * @param key the stream HMAC key that signs published events ({@code _sig}), at least 32 bytes;
         *            copied. Default none (events are published unsigned). During a key rotation, when
         *            consumers accept several keys, pass the first of them: producers sign with the first
         *            (state.md S69).
         * @return this builder
         */
        public Builder streamHmacKey(byte[] key) {
            Objects.requireNonNull(key, "streamHmacKey");
            if (key.length < 32) {
                throw new IllegalArgumentException("streamHmacKey must be at least 32 bytes, got " + key.length);
            }
            this.streamHmacKey = key.clone();
            return this;
        }

        /**
         * @param hex the stream HMAC key as hex (either case), at least 32 bytes: the first element of
         *            {@code STREAMS_HMAC_KEY} when that holds a comma-separated list (state.md S69)
         * @return this builder
         */
        public Builder streamHmacKeyHex(String hex) {
            Objects.requireNonNull(hex, "streamHmacKeyHex");
            if (hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                throw new IllegalArgumentException("streamHmacKeyHex must be an even number of hex digits");
            }
            byte[] key = new byte[hex.length() / 2];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            if (key.length < 32) {
                throw new IllegalArgumentException("streamHmacKeyHex must decode to at least 32 bytes, got " + key.length);
            }
            return streamHmacKey(key);
        }

        /**
         * @param defaultTtl the lifetime of mandates minted without {@code ttl_seconds}: whole seconds
         *                   from 1 s to 900 s (the STS cap). Default 900 s.
         * @return this builder
         */
        public Builder defaultTtl(Duration defaultTtl) {
            Objects.requireNonNull(defaultTtl, "defaultTtl");
            if (defaultTtl.getNano() != 0 || defaultTtl.getSeconds() < 1
                    || defaultTtl.compareTo(MintRequest.MAX_RESOURCE_TTL) > 0) {
                throw new IllegalArgumentException("defaultTtl must be a whole number of seconds from 1 to 900");
            }
            this.defaultTtl = defaultTtl;
            return this;
        }

        /**
         * @param clock the clock of {@code iat}, {@code exp}, the 24 h rotation grace and the UUIDv7
         *              timestamps; default {@link Clock#systemUTC()}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param allowRemote whether {@link #host(String)} may be a non-loopback address; default
         *                    {@code false}
         * @return this builder
         */
        public Builder allowRemote(boolean allowRemote) {
            this.allowRemote = allowRemote;
            return this;
        }

        /**
         * @param requestLog receives one line per request, {@code METHOD path status} (no query, no body,
         *                   never a token), on the server's threads; default none
         * @return this builder
         */
        public Builder requestLog(Consumer<String> requestLog) {
            this.requestLog = Objects.requireNonNull(requestLog, "requestLog");
            return this;
        }

        /**
         * Checks the safety rules, loads or creates the configured zones' keys, binds and starts serving,
         * then prints the banner to stderr.
         *
         * @return the running dev STS; close it when done
         * @throws IllegalStateException when {@code CARACAL_MODE} is {@code rc} or {@code stable}, the
         *                               host is not loopback without {@code allowRemote}, the key
         *                               directory holds an unreadable key, or Redis is configured
         *                               without {@code caracal-revocation-redis} on the class path
         * @throws java.io.UncheckedIOException when the address cannot be bound or a key file cannot be
         *                                      written
         */
        public DevSts start() {
            Safety.checkMode(System.getenv(Safety.MODE_VARIABLE));
            InetAddress address = Safety.bindAddress(host, allowRemote);
            UuidV7 ids = new UuidV7(clock);
            ZoneKeys keys = new ZoneKeys(clock, ids, keyDir == null ? null : new KeyFiles(keyDir));
            keys.initialize(zones);
            StreamPublisher publisher = redis == null ? null : publisher();
            DevStsServer server;
            try {
                server = DevStsServer.bind(address, port);
            } catch (RuntimeException e) {
                if (publisher != null) {
                    publisher.close();
                }
                throw e;
            }
            DevSts sts = new DevSts(this, server, keys, ids, publisher);
            server.start(new Router(sts, requestLog, HostCheck.of(host, sts.issuer())));
            System.err.println(Safety.BANNER);
            return sts;
        }

        private StreamPublisher publisher() {
            try {
                return new StreamPublisher(redis, streamHmacKey);
            } catch (NoClassDefFoundError e) {
                throw new IllegalStateException("redis needs ai.caracal:caracal-revocation-redis (and Lettuce) on the class path", e);
            }
        }
    }
}
