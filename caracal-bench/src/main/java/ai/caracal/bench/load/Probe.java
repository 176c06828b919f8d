package ai.caracal.bench.load;

/**
 * One request of the soak and how to judge its answer. The token is sent as a bearer mandate and never
 * printed.
 *
 * @param kind  what the request stands for
 * @param path  the example's path, for example {@code /api/documents}
 * @param token the bearer mandate, or {@code null} for none
 * @param judge decides whether the answer was expected
 */
record Probe(ProbeKind kind, String path, String token, Judge judge) {

    /** Judgement of one answer. */
    enum Outcome { EXPECTED, TOLERATED, UNEXPECTED }

    /**
     * One HTTP answer.
     *
     * @param status        the status code
     * @param error         the {@code error} member of a rejection body, or {@code null}
     * @param sentNanos     {@link System#nanoTime()} when the request was sent
     * @param receivedNanos {@link System#nanoTime()} when the answer arrived
     */
    record Answer(int status, String error, long sentNanos, long receivedNanos) {

        boolean is(int expectedStatus, String expectedError) {
            return status == expectedStatus && (expectedError == null || expectedError.equals(error));
        }
    }

    /** Decides about one answer; called on the load thread that sent the request. */
    @FunctionalInterface
    interface Judge {
        Outcome judge(Answer answer);
    }
}
