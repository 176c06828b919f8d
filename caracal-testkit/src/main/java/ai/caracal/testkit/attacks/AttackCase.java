package ai.caracal.testkit.attacks;

import ai.caracal.verify.ErrorCode;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One hostile (or valid-but-unusual) input and the one result every conforming verifier gives for it.
 *
 * <p>Running a case against {@code verifier}: reset the issuer, run {@link #prepare(AttackContext)} (it
 * may change what the issuer's JWKS endpoint serves), take {@link #authorization(AttackContext)}, then
 * build a <b>fresh</b> verifier from {@code issuer.verifier()} (a prepared key set must not meet a warm
 * cache) and call {@code verifier.authorization(header, route().requirements().orElse(null))}. The
 * result is {@link #expected()}: an {@link ErrorCode}, or empty for an accepted mandate.
 *
 * <p>Immutable; the header is produced anew for every call (mandates carry fresh {@code jti} values).
 * Descriptions name the trick, never token bytes.
 */
public final class AttackCase {

    private final String id;
    private final AttackCategory category;
    private final String description;
    private final ErrorCode expected;
    private final boolean noKeyFetch;
    private final boolean onClockEdge;
    private final AttackRoute route;
    private final Consumer<AttackContext> setup;
    private final Function<AttackContext, String> authorization;

    private AttackCase(Builder b) {
        this.id = b.id;
        this.category = b.category;
        this.description = b.description;
        this.expected = b.expected;
        this.noKeyFetch = b.noKeyFetch;
        this.onClockEdge = b.onClockEdge;
        this.route = b.route;
        this.setup = b.setup;
        this.authorization = b.authorization;
    }

    /**
     * @param category    the family
     * @param id          a stable identifier, for example {@code ALG-07}
     * @param description what the case does, in words
     * @return a builder; set the input and the expectation
     */
    public static Builder builder(AttackCategory category, String id, String description) {
        return new Builder(category, id, description);
    }

    /** @return the stable identifier, for example {@code ALG-07} */
    public String id() {
        return id;
    }

    /** @return the family */
    public AttackCategory category() {
        return category;
    }

    /** @return what the case does, in words */
    public String description() {
        return description;
    }

    /** @return the expected error, or empty when the mandate must be accepted */
    public Optional<ErrorCode> expected() {
        return Optional.ofNullable(expected);
    }

    /**
     * @return whether the verifier must reject the input without any JWKS request (check order steps
     *         0 to 2: missing token, structure, header rules)
     */
    public boolean rejectedBeforeKeyLookup() {
        return noKeyFetch;
    }

    /**
     * @return whether the case sits on the edge of a time limit, so that its {@link #expected()} result
     *         holds only while the verifier reads the very instant the mandate was minted at (the issuer's
     *         clock, as in process). Every other case keeps its result while the verifier's clock runs up
     *         to 30 s past the minting instant, as the clock of a loaded server does between minting and
     *         verifying; {@link AttackHttpRunner} skips the cases on a clock edge
     */
    public boolean onClockEdge() {
        return onClockEdge;
    }

    /** @return the rule the case is aimed at */
    public AttackRoute route() {
        return route;
    }

    /** @return whether {@link #prepare(AttackContext)} changes what the issuer's JWKS endpoint serves */
    public boolean hasSetup() {
        return setup != null;
    }

    /**
     * Runs the case's setup step, if any: typically {@code issuer.jwks().serveRaw(...)}. Call it after
     * resetting the issuer and before building the verifier.
     *
     * @param context the issuer and attacker
     */
    public void prepare(AttackContext context) {
        if (setup != null) {
            setup.accept(context);
        }
    }

    /**
     * @param context the issuer and attacker
     * @return the {@code Authorization} header value to send (usually {@code Bearer <token>})
     */
    public String authorization(AttackContext context) {
        return authorization.apply(context);
    }

    /**
     * @return whether the header value can travel unchanged in one HTTP/1.1 field: only visible ASCII,
     *         space and tab, no leading or trailing whitespace (which servers strip), at most 4 000
     *         characters (under every connector's header limit)
     * @param header a value from {@link #authorization(AttackContext)}
     */
    public static boolean isPortableHeader(String header) {
        if (header.isEmpty() || header.length() > 4_000) {
            return false;
        }
        if (isOws(header.charAt(0)) || isOws(header.charAt(header.length() - 1))) {
            return false;
        }
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (!(c == '\t' || (c >= 0x20 && c <= 0x7E))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    @Override
    public String toString() {
        return id + " " + description + " -> " + (expected == null ? "ok" : expected.wire());
    }

    /** Builder for {@link AttackCase}. Set one input ({@link #token} or {@link #header}) and one expectation. */
    public static final class Builder {

        private final AttackCategory category;
        private final String id;
        private final String description;
        private ErrorCode expected;
        private boolean expectationSet;
        private boolean noKeyFetch;
        private boolean onClockEdge;
        private AttackRoute route = AttackRoute.DEFAULT;
        private Consumer<AttackContext> setup;
        private Function<AttackContext, String> authorization;

        private Builder(AttackCategory category, String id, String description) {
            this.category = Objects.requireNonNull(category, "category");
            this.id = Objects.requireNonNull(id, "id");
            this.description = Objects.requireNonNull(description, "description");
        }

        /**
         * @param token makes the bare token; it is sent as {@code Bearer <token>}
         * @return this builder
         */
        public Builder token(Function<AttackContext, String> token) {
            Objects.requireNonNull(token, "token");
            return header(context -> "Bearer " + token.apply(context));
        }

        /**
         * @param header makes the whole {@code Authorization} header value
         * @return this builder
         */
        public Builder header(Function<AttackContext, String> header) {
            if (authorization != null) {
                throw new IllegalStateException(id + ": the input is already set");
            }
            this.authorization = Objects.requireNonNull(header, "header");
            return this;
        }

        /**
         * @param setup changes what the issuer serves before the verifier is built
         * @return this builder
         */
        public Builder setup(Consumer<AttackContext> setup) {
            this.setup = Objects.requireNonNull(setup, "setup");
            return this;
        }

        /**
         * Marks a case whose result changes within seconds of the minting instant (see
         * {@link AttackCase#onClockEdge()}).
         *
         * @return this builder
         */
        public Builder onClockEdge() {
            this.onClockEdge = true;
            return this;
        }

        /**
         * @param route the rule the case is aimed at (default {@link AttackRoute#DEFAULT})
         * @return this builder
         */
        public Builder route(AttackRoute route) {
            this.route = Objects.requireNonNull(route, "route");
            return this;
        }

        /**
         * @param code the expected error
         * @return this builder
         */
        public Builder rejected(ErrorCode code) {
            return expect(Objects.requireNonNull(code, "code"));
        }

        /** @return this builder, expecting {@code invalid_token} */
        public Builder invalid() {
            return rejected(ErrorCode.INVALID_TOKEN);
        }

        /** @return this builder, expecting {@code invalid_token} before any JWKS request */
        public Builder invalidWithoutKeyFetch() {
            noKeyFetch = true;
            return invalid();
        }

        /** @return this builder, expecting {@code missing_token} (no JWKS request, by definition) */
        public Builder missing() {
            noKeyFetch = true;
            return rejected(ErrorCode.MISSING_TOKEN);
        }

        /** @return this builder, expecting the mandate to be accepted */
        public Builder accepted() {
            return expect(null);
        }

        private Builder expect(ErrorCode code) {
            if (expectationSet) {
                throw new IllegalStateException(id + ": the expectation is already set");
            }
            expectationSet = true;
            expected = code;
            return this;
        }

        /** @return the case */
        public AttackCase build() {
            if (authorization == null || !expectationSet) {
                throw new IllegalStateException(id + ": set an input (token or header) and an expectation");
            }
            return new AttackCase(this);
        }
    }
}
