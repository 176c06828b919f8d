/**
 * The revocation SPI that mandate verification consults, and the in-memory store for development
 * and tests.
 *
 * <p>Every mandate carries up to four <em>anchors</em> ({@code sid}, {@code root_sid},
 * {@code agent_session_id}, {@code delegation_edge_id}) that share one flat namespace, and may carry a
 * per-zone delegation graph epoch. A {@link ai.caracal.revocation.RevocationStore} answers whether any
 * anchor is revoked and what the newest epoch of a zone is, in one call
 * ({@link ai.caracal.revocation.RevocationStore#check(java.util.List, String)}).
 */
package ai.caracal.revocation;
