package ai.caracal.verify;

/**
 * The key set of an issuer and zone could not be obtained: thrown only by {@code warmup()} and by
 * {@link JwksCache#checkSignature(String, String, String)}. Verification itself never throws; it
 * fails closed with {@code invalid_token}.
 */
public class JwksUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message names the JWKS URL and the reason; never contains key material or tokens
     */
    public JwksUnavailableException(String message) {
        super(message);
    }
}
