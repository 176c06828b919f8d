/**
 * Shared revocation state in Redis, for resource servers running several replicas.
 *
 * <p>{@code RedisRevocationStore} answers the verifier's revocation check in one round trip and fails
 * closed by default. The stream consumers apply revocations and delegation-epoch bumps published on
 * {@code caracal.sessions.revoke} and {@code caracal.delegations.invalidate} to a store, and
 * {@code ConsumerRunner} runs them in the background. {@code StreamSignature} is the HMAC wire format
 * of the streams.
 */
package ai.caracal.revocation.redis;
