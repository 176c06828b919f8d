package ai.caracal.verify;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place where the defaults of connectors.md §4 come from the environment: every connector
 * builder, the Spring starter and the command line read {@code CARACAL_STS_URL} and
 * {@code CARACAL_ZONE_ID} through this class, and spell issuers the same way.
 *
 * <ul>
 *   <li>A variable that is unset, empty or blank counts as unset.</li>
 *   <li>Issuer text (from {@code CARACAL_STS_URL}, a command-line flag or a property) loses its
 *       surrounding blanks and every trailing {@code /}: {@code http://127.0.0.1:8787/} and
 *       {@code http://127.0.0.1:8787} are one issuer, the spelling the STS puts in {@code iss}.
 *       Nothing else changes: {@code localhost} and {@code 127.0.0.1} stay different issuers.</li>
 *   <li>Zone text loses its surrounding blanks.</li>
 *   <li>An explicit value wins over the environment ({@link #issuer(String)}, {@link #zoneId(String)}).</li>
 * </ul>
 *
 * <p>{@link MandateVerifier.Builder#issuer(String)} itself never normalises: a verifier built in code
 * compares {@code iss} with exactly the issuer it was given (verification.md §3.2). Immutable and
 * thread-safe; the environment is read once, in {@link #read(Function)}.
 */
public final class CaracalEnvironment {

    /** The issuer's base URL: {@value}. */
    public static final String STS_URL = "CARACAL_STS_URL";

    /** The zone mandates must belong to: {@value}. */
    public static final String ZONE_ID = "CARACAL_ZONE_ID";

    private final String issuer;
    private final String zoneId;

    private CaracalEnvironment(String issuer, String zoneId) {
        this.issuer = issuer;
        this.zoneId = zoneId;
    }

    /**
     * Reads {@link #STS_URL} and {@link #ZONE_ID} once.
     *
     * @param environment the variables, for example {@code System::getenv}; it may return {@code null}
     * @return the normalised values
     */
    public static CaracalEnvironment read(Function<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        return new CaracalEnvironment(issuerText(environment.apply(STS_URL)).orElse(null),
                zoneText(environment.apply(ZONE_ID)).orElse(null));
    }

    /** @return {@link #STS_URL}, normalised; empty when unset or blank */
    public Optional<String> issuer() {
        return Optional.ofNullable(issuer);
    }

    /** @return {@link #ZONE_ID}, trimmed; empty when unset or blank */
    public Optional<String> zoneId() {
        return Optional.ofNullable(zoneId);
    }

    /**
     * @param configured an issuer given explicitly (a flag, a property), or {@code null}
     * @return the configured issuer when it is set, else {@link #STS_URL}; normalised either way
     */
    public Optional<String> issuer(String configured) {
        return issuerText(configured).or(this::issuer);
    }

    /**
     * @param configured a zone given explicitly, or {@code null}
     * @return the configured zone when it is set, else {@link #ZONE_ID}; trimmed either way
     */
    public Optional<String> zoneId(String configured) {
        return zoneText(configured).or(this::zoneId);
    }

    /**
     * @param text issuer text, or {@code null}
     * @return the text without surrounding blanks and trailing {@code /}; empty when nothing is left
     */
    public static Optional<String> issuerText(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        int end = trimmed.length();
        while (end > 0 && trimmed.charAt(end - 1) == '/') {
            end--;
        }
        return end == 0 ? Optional.empty() : Optional.of(trimmed.substring(0, end));
    }

    /**
     * @param text zone text, or {@code null}
     * @return the text without surrounding blanks; empty when blank
     */
    public static Optional<String> zoneText(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
    }
}
