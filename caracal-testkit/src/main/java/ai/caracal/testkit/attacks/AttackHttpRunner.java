package ai.caracal.testkit.attacks;

import ai.caracal.verify.AuthErrors;
import ai.caracal.verify.ErrorCode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sends the {@link AttackCorpus} to a running HTTP connector and checks every answer: the status of
 * {@link AuthErrors#httpStatus(ErrorCode)} and the JSON body's {@code error} for rejected cases,
 * {@code 200} for accepted ones.
 *
 * <p>The connector must be started on the corpus fixture: its default rule's verifier comes from the
 * same {@link ai.caracal.testkit.TestIssuer} ({@code issuer.verifier()}, optionally with
 * {@code requiredScopes("read")}, as on the connector parity fixture), and its handler answers
 * {@code 200}. {@link AttackRoute#SCOPED} cases go to {@code scopedEndpoint}, a path whose rule requires
 * exactly scope {@code read} (register {@code route(AttackRoute.SCOPED.prefix(), ...requirements())}, or
 * use any path of a default rule requiring {@code read}). Cases with a JWKS setup step, cases
 * {@linkplain AttackCase#onClockEdge() on a clock edge}, and headers that cannot travel unchanged in an
 * HTTP field, are skipped (the in-process corpus test covers them).
 *
 * <p>Each case is minted at the current wall-clock time (the issuer's clock is set to it), because the
 * connector may verify with the system clock. Time moves on between minting and verifying, by as much as
 * a loaded machine makes it; the cases sent keep their result for 30 s of it.
 *
 * <pre>{@code
 * AttackHttpReport report = AttackHttpRunner.run(AttackContext.of(issuer, attacker),
 *         URI.create(base + "/items"), URI.create(base + "/scoped/items"));
 * assertThat(attacker.requests()).isZero();
 * }</pre>
 */
public final class AttackHttpRunner {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private AttackHttpRunner() {
    }

    /**
     * Runs the {@link AttackRoute#DEFAULT} cases; {@link AttackRoute#SCOPED} cases are skipped.
     *
     * @param context  the issuer and attacker the connector's verifier and the corpus share
     * @param endpoint the URL the default-rule cases are sent to (for example {@code <base>/items})
     * @return the ids sent and skipped
     * @throws AssertionError listing every case whose answer differed (ids and statuses, never tokens)
     */
    public static AttackHttpReport run(AttackContext context, URI endpoint) {
        return send(context, Objects.requireNonNull(endpoint, "endpoint"), null);
    }

    /**
     * Runs every case that can travel over HTTP.
     *
     * @param context        the issuer and attacker the connector's verifier and the corpus share
     * @param endpoint       the URL the default-rule cases are sent to
     * @param scopedEndpoint the URL the {@link AttackRoute#SCOPED} cases are sent to
     * @return the ids sent and skipped
     * @throws AssertionError listing every case whose answer differed (ids and statuses, never tokens)
     */
    public static AttackHttpReport run(AttackContext context, URI endpoint, URI scopedEndpoint) {
        return send(context, Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(scopedEndpoint, "scopedEndpoint"));
    }

    private static AttackHttpReport send(AttackContext context, URI endpoint, URI scopedEndpoint) {
        Objects.requireNonNull(context, "context");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build();
        List<String> sent = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (AttackCase attack : AttackCorpus.cases()) {
            URI target = attack.route() == AttackRoute.SCOPED ? scopedEndpoint : endpoint;
            if (attack.hasSetup() || attack.onClockEdge() || target == null) {
                skipped.add(attack.id());
                continue;
            }
            context.issuer().clock().set(Instant.now());
            String header = attack.authorization(context);
            if (!AttackCase.isPortableHeader(header)) {
                skipped.add(attack.id());
                continue;
            }
            HttpResponse<String> response = get(client, target, header);
            String problem = mismatch(attack, response);
            if (problem == null) {
                sent.add(attack.id());
            } else {
                mismatches.add(attack.id() + " (" + attack.description() + "): " + problem);
            }
        }
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " attack case(s) got the wrong answer over HTTP:\n  "
                    + String.join("\n  ", mismatches));
        }
        return new AttackHttpReport(sent, skipped);
    }

    private static HttpResponse<String> get(HttpClient client, URI target, String header) {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(TIMEOUT).header("Authorization", header).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("request to " + target + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the attack corpus", e);
        }
    }

    /** @return what differs from the expectation, or {@code null} when the answer is right */
    private static String mismatch(AttackCase attack, HttpResponse<String> response) {
        if (attack.expected().isEmpty()) {
            return response.statusCode() == 200 ? null : "expected 200, got " + response.statusCode();
        }
        ErrorCode code = attack.expected().get();
        int status = AuthErrors.httpStatus(code);
        String error = errorMember(response.body());
        if (response.statusCode() != status || !code.wire().equals(error)) {
            return "expected " + status + " " + code.wire() + ", got " + response.statusCode() + " " + error;
        }
        return null;
    }

    /** @return the top-level string member {@code error} of a JSON object body, or {@code null} */
    private static String errorMember(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("error".equals(name) && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
