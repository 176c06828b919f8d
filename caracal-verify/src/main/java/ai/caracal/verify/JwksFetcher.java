package ai.caracal.verify;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Fetches the bytes of one JWKS document: the one pluggable part of a {@link JwksCache}. Use it to
 * supply your own HTTP client (a proxy, a private CA, mutual TLS) without changing JVM-wide settings:
 *
 * <pre>{@code
 * HttpClient client = HttpClient.newBuilder().sslContext(internalCa).proxy(corporateProxy)
 *     .followRedirects(HttpClient.Redirect.NEVER).build();
 * JwksCache keys = JwksCache.builder().fetcher(JwksFetcher.httpClient(client)).build();
 * MandateVerifier verifier = MandateVerifier.builder().jwksCache(keys)...build();
 * }</pre>
 *
 * <p>The cache decides when to fetch (single flight, refresh, cooldown, failure back-off), bounds every
 * fetch by its deadline, checks the size cap again and parses the body; a fetcher only moves bytes.
 * An implementation must be thread-safe and <b>must not block the calling thread</b>: the call is made
 * from verifying threads, event loops included, so do the I/O asynchronously and return a stage that
 * completes later. It must send a plain {@code GET} with {@code Accept: application/json} and no
 * credentials, not follow redirects, and complete exceptionally (with a message that names the reason
 * and never key material) unless the status is exactly 200 and the body is at most {@code maxBytes}.
 */
@FunctionalInterface
public interface JwksFetcher {

    /**
     * Starts one fetch.
     *
     * @param uri      the key set URL; always the configured issuer's, never anything from a token
     * @param timeout  the deadline of the whole exchange (the cache also enforces it)
     * @param maxBytes the largest body to accept; refuse a larger {@code Content-Length} without reading
     * @return the response body, completed later; never {@code null}
     */
    CompletionStage<byte[]> fetch(URI uri, Duration timeout, int maxBytes);

    /**
     * The default fetcher: one process-wide JDK {@link HttpClient} (HTTP/1.1, no redirects, the default
     * proxy selector) whose work runs on daemon threads named {@code caracal-jwks-*}.
     *
     * @return the shared default fetcher
     */
    static JwksFetcher defaults() {
        return HttpClientJwksFetcher.DEFAULT;
    }

    /**
     * A fetcher over your own JDK {@link HttpClient}, with its TLS, proxy and executor settings. The
     * client stays yours.
     *
     * @param client a client that does not follow redirects ({@link HttpClient.Redirect#NEVER})
     * @return a fetcher using {@code client}
     * @throws IllegalArgumentException when the client follows redirects: a JWKS must come from the
     *                                  configured URL itself
     */
    static JwksFetcher httpClient(HttpClient client) {
        Objects.requireNonNull(client, "client");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the JWKS HttpClient must not follow redirects"
                    + " (build it with followRedirects(HttpClient.Redirect.NEVER))");
        }
        return new HttpClientJwksFetcher(client);
    }
}
