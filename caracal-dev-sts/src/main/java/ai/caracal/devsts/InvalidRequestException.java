package ai.caracal.devsts;

/**
 * A request the dev STS cannot carry out as asked: the HTTP layer answers it with
 * 400 {@code invalid_request} and this message as {@code error_description}, so the message names the
 * wire field at fault and never echoes a token.
 */
final class InvalidRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidRequestException(String message) {
        super(message);
    }
}
