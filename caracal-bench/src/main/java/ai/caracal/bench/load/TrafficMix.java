package ai.caracal.bench.load;

import ai.caracal.bench.load.Probe.Judge;
import ai.caracal.bench.load.Probe.Outcome;
import ai.caracal.testkit.MandateBuilder;
import ai.caracal.testkit.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Draws the next request of the soak by the shares of {@link ProbeKind} and says what each must get:
 * 200 for valid mandates, 401 {@code invalid_token} for garbage, expired and wrong-audience ones, 401
 * {@code missing_token} without a header, 403 {@code insufficient_scope} for a missing scope, and 401
 * {@code session_revoked} for a revoked session once its revocation is in Redis. Two windows are
 * tolerated: a revoked session accepted when its request was sent before its revocation was seen in
 * Redis ({@link RevocationDriver#watchApplied}; how long that may take is a rule of {@link SoakResult}),
 * and a mandate signed with a just rotated key rejected as {@code invalid_token} before the verifier can
 * have fetched it ({@link KeyRotations#mayBeUnknown}). Both are events, not durations, so a loaded
 * machine cannot turn a right answer into an unexpected one. Thread-safe.
 */
final class TrafficMix {

    private static final String DOCUMENTS = "/api/documents";
    private static final String WHOAMI = "/api/whoami";

    private final TestIssuer issuer;
    private final KeyRotations keys;
    private final RevocationDriver sessions;
    private final List<Repeat> repeats = new ArrayList<>();
    private final ProbeKind[] table = new ProbeKind[100];
    private final AtomicLong rotatedKeyAccepted = new AtomicLong();
    private final AtomicLong rotatedKeyTolerated = new AtomicLong();

    private record Repeat(String token, String kid) {
    }

    TrafficMix(TestIssuer issuer, KeyRotations keys, RevocationDriver sessions) {
        this.issuer = issuer;
        this.keys = keys;
        this.sessions = sessions;
        int slot = 0;
        for (ProbeKind kind : ProbeKind.values()) {
            for (int i = 0; i < kind.percent(); i++) {
                table[slot++] = kind;
            }
        }
        if (slot != table.length) {
            throw new IllegalStateException("ProbeKind shares add up to " + slot + ", not 100");
        }
        for (int i = 0; i < 8; i++) {
            String token = sign(mint().scope("documents:read").agentSession().expiresIn(Duration.ofHours(2)));
            repeats.add(new Repeat(token, KeyRotations.kidOf(token)));
        }
    }

    /** @return the next request */
    Probe next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ProbeKind kind = table[random.nextInt(table.length)];
        switch (kind) {
            case VALID_REPEAT: {
                Repeat repeat = repeats.get(random.nextInt(repeats.size()));
                return new Probe(kind, DOCUMENTS, repeat.token(), expect(200, null, repeat.kid()));
            }
            case VALID_FRESH: {
                String token = sign(mint().scope("documents:read", "notes:write").agentSession());
                String kid = KeyRotations.kidOf(token);
                return new Probe(kind, random.nextBoolean() ? DOCUMENTS : WHOAMI, token, counted(expect(200, null, kid), kid));
            }
            case GARBAGE:
                return new Probe(kind, DOCUMENTS, garbage(random), expect(401, "invalid_token", null));
            case MISSING_TOKEN:
                return new Probe(kind, DOCUMENTS, null, expect(401, "missing_token", null));
            case EXPIRED: {
                Instant now = Instant.now();
                String token = sign(mint().scope("documents:read").issuedAt(now.minus(Duration.ofMinutes(30))).expiresIn(Duration.ofMinutes(10)));
                return new Probe(kind, DOCUMENTS, token, expect(401, "invalid_token", null));
            }
            case WRONG_AUDIENCE: {
                String token = sign(mint().scope("documents:read").audience("resource://elsewhere"));
                return new Probe(kind, DOCUMENTS, token, expect(401, "invalid_token", null));
            }
            case MISSING_SCOPE: {
                String token = sign(mint().scope("notes:read"));
                return new Probe(kind, DOCUMENTS, token, expect(403, "insufficient_scope", KeyRotations.kidOf(token)));
            }
            default:
                return session(random);
        }
    }

    /** @return accepted mandates signed with a key rotated during the run */
    long rotatedKeyAccepted() {
        return rotatedKeyAccepted.get();
    }

    /** @return mandates signed with a rotated key and rejected before the verifier could know the key */
    long rotatedKeyTolerated() {
        return rotatedKeyTolerated.get();
    }

    private Probe session(ThreadLocalRandom random) {
        TrackedSession session = sessions.pick();
        if (session == null) {
            Repeat repeat = repeats.get(random.nextInt(repeats.size()));
            return new Probe(ProbeKind.VALID_REPEAT, DOCUMENTS, repeat.token(), expect(200, null, repeat.kid()));
        }
        ProbeKind kind = session.xaddStartedNanos() == 0 ? ProbeKind.SESSION_LIVE : ProbeKind.SESSION_REVOKED;
        Judge accepted = expect(200, null, session.kid());
        Judge judge = answer -> {
            long started = session.xaddStartedNanos();
            if (started == 0 || answer.receivedNanos() < started) {
                return accepted.judge(answer);
            }
            if (answer.is(401, "session_revoked")) {
                return Outcome.EXPECTED;
            }
            if (answer.status() == 200) {
                session.acceptedAfterXadd(answer.sentNanos());
            }
            long applied = session.appliedNanos();
            boolean beforeApplied = applied == 0 || answer.sentNanos() < applied;
            if (beforeApplied && answer.status() == 200) {
                return Outcome.TOLERATED;
            }
            return accepted.judge(answer) == Outcome.TOLERATED ? Outcome.TOLERATED : Outcome.UNEXPECTED;
        };
        return new Probe(kind, DOCUMENTS, session.token(), judge);
    }

    /**
     * @param status the status the request must get
     * @param error  the error code it must carry, or {@code null} for a 200
     * @param kid    the signing key when the request would be accepted or get a 403, to tolerate a key the
     *               verifier cannot know yet; {@code null} otherwise
     */
    private Judge expect(int status, String error, String kid) {
        return answer -> {
            if (answer.is(status, error)) {
                return Outcome.EXPECTED;
            }
            return answer.is(401, "invalid_token") && keys.mayBeUnknown(kid, answer.sentNanos())
                    ? Outcome.TOLERATED : Outcome.UNEXPECTED;
        };
    }

    private Judge counted(Judge judge, String kid) {
        if (!keys.isRotated(kid)) {
            return judge;
        }
        return answer -> {
            Outcome outcome = judge.judge(answer);
            if (outcome == Outcome.EXPECTED) {
                rotatedKeyAccepted.incrementAndGet();
            } else if (outcome == Outcome.TOLERATED) {
                rotatedKeyTolerated.incrementAndGet();
            }
            return outcome;
        };
    }

    private MandateBuilder mint() {
        issuer.clock().set(Instant.now());
        return issuer.mint();
    }

    private String sign(MandateBuilder mandate) {
        return keys.sign(mandate);
    }

    private static String garbage(ThreadLocalRandom random) {
        byte[] bytes = new byte[24 + random.nextInt(200)];
        random.nextBytes(bytes);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // Half look like a compact JWS (three segments), half are one opaque string.
        if (random.nextBoolean() && text.length() > 12) {
            return text.substring(0, 6) + "." + text.substring(6, 12) + "." + text.substring(12);
        }
        return text;
    }
}
