package ai.caracal.verify.http;

import ai.caracal.verify.AuthError;
import ai.caracal.verify.ErrorCode;
import java.util.List;

/**
 * The RFC 6750 {@code WWW-Authenticate} value for a rejection. The Caracal code travels only in the
 * JSON body; the RFC's {@code error} is the coarse class ({@code invalid_token} for 401,
 * {@code insufficient_scope} for 403), and {@code missing_token} carries no {@code error} at all.
 * Parameters come in the order realm, error, error_description, scope, resource_metadata.
 */
final class BearerChallenge {

    private BearerChallenge() {
    }

    /**
     * @param realm            the configured realm, or {@code null}
     * @param requiredScopes   the effective required scopes of the matched rule (used only for
     *                         {@code insufficient_scope})
     * @param metadataUrl      the RFC 9728 metadata URL, or {@code null}
     */
    static String of(AuthError error, String realm, List<String> requiredScopes, String metadataUrl) {
        StringBuilder value = new StringBuilder("Bearer");
        Separator separator = new Separator();
        if (realm != null) {
            separator.append(value).append("realm=\"").append(sanitize(realm)).append('"');
        }
        if (error.code() != ErrorCode.MISSING_TOKEN) {
            boolean forbidden = error.httpStatus() == 403;
            separator.append(value).append("error=\"").append(forbidden ? "insufficient_scope" : "invalid_token").append('"');
            separator.append(value).append("error_description=\"").append(sanitize(error.description())).append('"');
            if (error.code() == ErrorCode.INSUFFICIENT_SCOPE && !requiredScopes.isEmpty()) {
                separator.append(value).append("scope=\"").append(sanitize(String.join(" ", requiredScopes))).append('"');
            }
        }
        if (metadataUrl != null) {
            separator.append(value).append("resource_metadata=\"").append(sanitize(metadataUrl)).append('"');
        }
        return value.toString();
    }

    /** Replaces every character outside {@code %x20-21 / %x23-5B / %x5D-7E} with {@code ?}. */
    static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= 0x20 && c <= 0x21) || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
            out.append(allowed ? c : '?');
        }
        return out.toString();
    }

    /** " " before the first parameter, ", " before every later one. */
    private static final class Separator {
        private boolean first = true;

        StringBuilder append(StringBuilder value) {
            value.append(first ? " " : ", ");
            first = false;
            return value;
        }
    }
}
