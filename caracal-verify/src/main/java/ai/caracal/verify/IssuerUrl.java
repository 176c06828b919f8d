package ai.caracal.verify;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The issuer URL rules (verification.md §3.2) and the JWKS URL derived from an issuer (§3.1).
 * Messages name the rule that failed and never echo the URL, which may carry secrets.
 */
final class IssuerUrl {

    /** Set to exactly {@code true} to allow plain {@code http://} issuers on non-loopback hosts. */
    static final String ALLOW_INSECURE_ENV = "CARACAL_ALLOW_INSECURE_CONFIG_URLS";

    private IssuerUrl() {
    }

    /**
     * @return the issuer unchanged, once it passed every rule
     * @throws IllegalArgumentException naming the rule that failed
     */
    static String validate(String issuer) {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("issuer is required (set issuer(...) to the STS base URL, for example from CARACAL_STS_URL)");
        }
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("issuer is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("issuer must be an absolute https:// URL (http:// only for loopback hosts)");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("issuer URL must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("issuer URL must not contain user information");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("issuer URL must not contain a query or a fragment");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost()) && !"true".equals(System.getenv(ALLOW_INSECURE_ENV))) {
            throw new IllegalArgumentException("issuer must use https:// unless the host is loopback"
                    + " (set " + ALLOW_INSECURE_ENV + "=true to allow plain http for development)");
        }
        return issuer;
    }

    /**
     * @param issuer a validated issuer
     * @param zoneId the zone, or {@code null}
     * @return {@code {issuer without trailing "/"}/.well-known/jwks.json[?zone_id={form-encoded zone}]}
     */
    static URI jwksUri(String issuer, String zoneId) {
        int end = issuer.length();
        while (end > 0 && issuer.charAt(end - 1) == '/') {
            end--;
        }
        StringBuilder url = new StringBuilder(issuer.substring(0, end)).append("/.well-known/jwks.json");
        if (zoneId != null) {
            url.append("?zone_id=").append(URLEncoder.encode(zoneId, StandardCharsets.UTF_8));
        }
        return URI.create(url.toString());
    }

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        return h.startsWith("127.") && isIpv4Literal(h);
    }

    private static boolean isIpv4Literal(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
