package ai.caracal.verify;

import java.net.URI;

/**
 * What verification tells a tracer: three kinds of span (one verification, one key set fetch, one
 * revocation-store check), each started, optionally made current on the calling thread, and stopped with
 * low-cardinality outcome values. Neutral on purpose: {@link MandateVerifier} and {@link KeySource} call
 * only this, so they load no tracing library; {@link MicrometerTracing} is the one implementation, created
 * only through {@link CaracalObservation#of}. Implementations never throw and never see a token.
 */
interface Tracing {

    /** No tracing: every span is {@link Span#NONE}. */
    Tracing NONE = new Tracing() {
        @Override
        public Span verification(String zone) {
            return Span.NONE;
        }

        @Override
        public Span revocationCheck(Span parent, String zone) {
            return Span.NONE;
        }

        @Override
        public Span jwksFetch(URI jwksUri) {
            return Span.NONE;
        }
    };

    /**
     * @param zone the configured zone, or {@code null} when none is configured
     * @return a started span, a child of the current context
     */
    Span verification(String zone);

    /**
     * @param parent the verification span
     * @param zone   the verified mandate's zone
     * @return a started span, a child of {@code parent}
     */
    Span revocationCheck(Span parent, String zone);

    /**
     * @param jwksUri the key set's URL
     * @return a started span, a child of the current context
     */
    Span jwksFetch(URI jwksUri);

    /** One started span. Thread-safe: it may be stopped on another thread than the one that started it. */
    interface Span {

        /** A span that records nothing. */
        Span NONE = new Span() {
            @Override
            public Scope open() {
                return Scope.NONE;
            }

            @Override
            public void stop(String outcome, String cause, String zone) {
            }
        };

        /** @return makes this span current on the calling thread until the scope is closed */
        Scope open();

        /**
         * Records the low-cardinality values and ends the span. Called once.
         *
         * @param outcome the outcome ({@code ok} or the error code; {@code success} / {@code failure};
         *                {@code live}, {@code revoked}, ...)
         * @param cause   the {@link Cause#wire()}, or {@code null} where it does not apply
         * @param zone    the zone to record, or {@code null} to keep the one given at start
         */
        void stop(String outcome, String cause, String zone);
    }

    /** A span made current; {@link #close()} restores what was current before. Never throws. */
    interface Scope extends AutoCloseable {

        /** Nothing to restore. */
        Scope NONE = () -> {
        };

        @Override
        void close();
    }
}
