/**
 * Mandate verification: the one place where a Caracal mandate is checked.
 *
 * <p>{@link ai.caracal.verify.MandateVerifier} checks a mandate (an ES256 JWT minted by a zone's STS)
 * in the canonical order: structure and header, key from the zone JWKS, signature, claims, zone,
 * requirements, revocation and delegation epoch. Every outcome is an
 * {@link ai.caracal.verify.AuthResult}; a bad token never throws. Failures carry one of ten
 * {@link ai.caracal.verify.ErrorCode}s, and {@link ai.caracal.verify.AuthErrors#httpStatus(ErrorCode)}
 * is the single function that maps them to 401 or 403.
 *
 * <p>{@link ai.caracal.verify.CaracalAuth} is the same verification in the FastMCP style: it returns
 * {@link ai.caracal.verify.Claims} or throws {@link ai.caracal.verify.CaracalAuthException}.
 *
 * <p>All public types are immutable or thread-safe. Tokens, signatures and key material are never
 * logged and never appear in descriptions.
 */
package ai.caracal.verify;
