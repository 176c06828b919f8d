package ai.caracal.jaxrs.quarkus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/** HTTP to the application under test, the dev STS (minting) and the JWKS gate. */
final class Api {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final URI app;

    /** @param app the application's base URL, from {@code @TestHTTPResource} */
    Api(URI app) {
        this.app = app;
    }

    /** @param json the {@code /dev/mint} request body (devtools.md §1.5) */
    String mint(String json) {
        String sts = ConfigProvider.getConfig().getValue("caracal.test.sts", String.class);
        HttpResponse<String> minted = send(HttpRequest.newBuilder(URI.create(sts + "/dev/mint")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
        Matcher token = ACCESS_TOKEN.matcher(minted.body());
        if (minted.statusCode() != 200 || !token.find()) {
            throw new AssertionError("mint failed: " + minted.statusCode() + " " + minted.body());
        }
        return token.group(1);
    }

    String mintScoped(String sub, String scope) {
        return mint("{\"audience\":\"https://api.quarkus.test\",\"sub\":\"" + sub + "\",\"scope\":\"" + scope + "\"}");
    }

    HttpResponse<String> send(String method, String path, String token) {
        return send(request(method, path, token));
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String token) {
        return http.sendAsync(request(method, path, token), HttpResponse.BodyHandlers.ofString());
    }

    void gate(String action) {
        String gate = ConfigProvider.getConfig().getValue("caracal.test.gate", String.class);
        send(HttpRequest.newBuilder(URI.create(gate + "/gate/" + action)).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    int heldKeySetRequests() {
        String gate = ConfigProvider.getConfig().getValue("caracal.test.gate", String.class);
        return Integer.parseInt(send(HttpRequest.newBuilder(URI.create(gate + "/gate/waiting")).timeout(TIMEOUT).GET().build()).body());
    }

    private HttpRequest request(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.resolve(path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
