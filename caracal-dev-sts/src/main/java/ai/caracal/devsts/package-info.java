/**
 * The development STS: a stand-in mandate issuer for local work, tests and demos, never for a
 * deployment.
 *
 * <p>{@link ai.caracal.devsts.DevSts} serves per-zone ES256 keys as a JWKS and the {@code /dev/*}
 * endpoints (mint, revoke, delegation invalidation, key rotation) on the JDK {@code HttpServer}, and
 * offers the same operations as Java methods: {@link ai.caracal.devsts.MintRequest} →
 * {@link ai.caracal.devsts.MintResponse}, {@link ai.caracal.devsts.RevokeRequest} →
 * {@link ai.caracal.devsts.RevokeResult}, {@link ai.caracal.devsts.InvalidateResult},
 * {@link ai.caracal.devsts.RotateResult} and {@link ai.caracal.devsts.ZoneInfo}. Revocations and epoch
 * bumps go to an attached {@code RevocationStore}, to the Redis streams (with the optional
 * {@code caracal-revocation-redis} and Lettuce on the class path), or both.
 */
package ai.caracal.devsts;
