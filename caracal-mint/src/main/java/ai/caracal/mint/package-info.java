/**
 * The one mandate-minting path of the Caracal dev tools, shared by {@code caracal-dev-sts} and
 * {@code caracal-testkit}: an ES256 signing key ({@link ai.caracal.mint.Es256Key}: compact JWS with the
 * JOSE {@code R‖S} signature, public JWK), the mandate claim set in one stable order
 * ({@link ai.caracal.mint.MandateClaims}), the token header and base64url text ({@link ai.caracal.mint.Jws}),
 * and the lenient JSON reader and writer of the tools ({@link ai.caracal.mint.Json}).
 *
 * <p>It signs tokens, so it belongs in tests and development issuers, never in a resource server. Reading
 * a mandate to decide whether it is valid is {@code caracal-verify}'s job, with its strict JSON reader.
 *
 * <pre>{@code
 * Es256Key key = Es256Key.generate("k1");
 * String token = key.sign(new MandateClaims()
 *         .issuer("https://sts.example").subject("app-1").audience(List.of("resource://documents"))
 *         .issuedAt(now).expiresAt(now + 600).zoneId("zone-1"));
 * }</pre>
 */
package ai.caracal.mint;
