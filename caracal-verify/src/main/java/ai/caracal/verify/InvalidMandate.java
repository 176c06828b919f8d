package ai.caracal.verify;

/**
 * Internal signal that a parsing stage rejected the mandate. Carries a short reason for the DEBUG log
 * (never token bytes or claim values). Stackless: it is part of normal control flow on hostile input
 * and never escapes the verifier.
 */
final class InvalidMandate extends Exception {

    private static final long serialVersionUID = 1L;

    private final Cause cause;

    /** A structure, encoding, header or claim-type problem: {@link Cause#MALFORMED}. */
    InvalidMandate(String reason) {
        this(reason, Cause.MALFORMED);
    }

    InvalidMandate(String reason, Cause cause) {
        super(reason, null, false, false);
        this.cause = cause;
    }

    /** @return the cause this rejection reports */
    Cause rejectionCause() {
        return cause;
    }

    String reason() {
        return getMessage();
    }
}
