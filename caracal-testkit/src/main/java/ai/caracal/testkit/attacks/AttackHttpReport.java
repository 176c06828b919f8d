package ai.caracal.testkit.attacks;

import java.util.List;

/**
 * What {@link AttackHttpRunner} did: the ids of the cases it sent (all of which got their expected
 * status and {@code error}), and of those it could not send over HTTP.
 *
 * @param sent    cases sent and matched, in corpus order
 * @param skipped cases not sent: with a JWKS setup step (a running connector's key cache is warm), on a
 *                clock edge ({@link AttackCase#onClockEdge()}: a connector's own clock moves on after
 *                minting), aimed at a rule the caller gave no endpoint for, or whose header cannot travel
 *                unchanged in an HTTP field ({@link AttackCase#isPortableHeader(String)})
 */
public record AttackHttpReport(List<String> sent, List<String> skipped) {

    /**
     * Copies both lists.
     *
     * @param sent    cases sent and matched
     * @param skipped cases not sent
     */
    public AttackHttpReport {
        sent = List.copyOf(sent);
        skipped = List.copyOf(skipped);
    }
}
