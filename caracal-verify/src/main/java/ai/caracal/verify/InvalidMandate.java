package ai.caracal.verify;

/**
 * Internal signal that a parsing stage rejected the mandate. Carries a short reason for the DEBUG log
 * (never token bytes or claim values). Stackless: it is part of normal control flow on hostile input
 * and never escapes the verifier.
 */
final class InvalidMandate extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidMandate(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}
