/**
 * Testing code that verifies Caracal mandates, with no Caracal deployment: a JUnit 5 extension
 * ({@link ai.caracal.testkit.CaracalTest}), an in-process {@link ai.caracal.testkit.TestIssuer} that
 * serves a real JWKS over loopback HTTP and signs real ES256 mandates, a
 * {@link ai.caracal.testkit.MandateBuilder} for valid and deliberately broken tokens, a hand-driven
 * {@link ai.caracal.testkit.TestClock}, and AssertJ assertions ({@link ai.caracal.testkit.CaracalAssertions}).
 *
 * <p>Three subpackages hold helpers for tests of servers and integrations, each on an optional dependency
 * of the test kit that the test classpath must supply: {@link ai.caracal.testkit.logging} (Logback:
 * recording what a logger writes), {@link ai.caracal.testkit.jetty} (Jetty 12: a real servlet server on
 * loopback) and {@link ai.caracal.testkit.tracing} (Micrometer Tracing and the OpenTelemetry SDK: spans
 * exported to memory).
 *
 * <pre>{@code
 * @CaracalTest(zone = "zone-1", audience = "https://api.test")
 * class RevocationTest {
 *     @Test
 *     void revokedAgentSessionIsRejected(TestIssuer issuer) {
 *         MandateVerifier verifier = issuer.verifier().requireAgent(true).build();
 *         String token = issuer.mint().agentSession("agent-7").sign();
 *         issuer.revoke("agent-7");
 *         assertThat(verifier.authenticate(token)).failedWith(ErrorCode.SESSION_REVOKED).hasStatus(401);
 *     }
 * }
 * }</pre>
 */
package ai.caracal.testkit;
