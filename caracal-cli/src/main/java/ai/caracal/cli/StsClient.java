package ai.caracal.cli;

import ai.caracal.mint.Json;
import ai.caracal.verify.CaracalEnvironment;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Calls the dev STS's JSON endpoints for {@code mint} and {@code revoke}. */
final class StsClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    StsClient(String base) {
        this.base = CaracalEnvironment.issuerText(base).orElse(base);
    }

    /**
     * @return the JSON response object of a 200
     * @throws IllegalStateException with a one-line explanation for unreachable STS, non-200 answers or
     *                               bodies that are not JSON objects (never containing a token)
     */
    Map<String, Object> post(String path, Map<String, Object> body) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("--sts is not a URL: " + base);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpTimeoutException e) {
            throw new IllegalStateException("cannot reach the STS at " + base + " (is 'caracal dev-sts' running? set --sts or CARACAL_STS_URL)");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the STS at " + base + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the STS");
        }
        Map<String, Object> json = Json.readObjectLastWins(response.body()).orElseThrow(() ->
                new IllegalStateException("the STS at " + base + " answered " + response.statusCode() + " without a JSON object"));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the STS refused the request (" + response.statusCode() + " "
                    + json.getOrDefault("error", "error") + "): " + json.getOrDefault("error_description", ""));
        }
        return json;
    }
}
