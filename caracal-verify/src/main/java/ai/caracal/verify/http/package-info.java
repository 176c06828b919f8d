/**
 * The HTTP boundary shared by every connector: route rules and exclusions, canonical paths, the one
 * failure response (status from {@link ai.caracal.verify.AuthErrors}, JSON body, {@code Cache-Control},
 * RFC 6750 {@code WWW-Authenticate}) and the RFC 9728 protected resource metadata document.
 *
 * <p>A connector adapts its framework's request to {@link ai.caracal.verify.http.BoundaryRequest},
 * asks {@link ai.caracal.verify.http.HttpBoundary#evaluate(BoundaryRequest)} what to do, and either
 * continues (with or without claims) or writes the {@link ai.caracal.verify.http.BoundaryResponse}
 * it was given. No connector parses tokens, picks a status or formats an error itself.
 */
package ai.caracal.verify.http;
