package ai.caracal.bench.load;

/** The kinds of request in the soak's traffic mix, with their share of the requests (percent). */
enum ProbeKind {
    VALID_REPEAT("valid, repeat-use mandate", 38),
    VALID_FRESH("valid, fresh mandate", 20),
    GARBAGE("garbage bearer", 4),
    MISSING_TOKEN("no Authorization header", 3),
    EXPIRED("expired mandate", 5),
    WRONG_AUDIENCE("wrong audience", 5),
    MISSING_SCOPE("missing scope (403)", 7),
    SESSION_LIVE("session, before its XADD", 8),
    SESSION_REVOKED("session, after its XADD", 10);

    private final String label;
    private final int percent;

    ProbeKind(String label, int percent) {
        this.label = label;
        this.percent = percent;
    }

    String label() {
        return label;
    }

    int percent() {
        return percent;
    }
}
