package ai.caracal.bench;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * What Java teams use instead, verifying the same mandate with the same key, as they come out of the
 * box (JDK default EC provider): Spring Security's {@code NimbusJwtDecoder} with the issuer validator,
 * and jose4j's {@code JwtConsumer} with issuer and audience checks. Neither caches verified tokens, so
 * each call is a full verification, comparable to Caracal's {@code firstSeen}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AlternativesBenchmark {

    private BenchmarkMandate mandate;
    private NimbusJwtDecoder springDecoder;
    private JwtConsumer jose4j;

    /** Builds both decoders from the issuer's published key set. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        mandate = new BenchmarkMandate();
        String jwks = "{\"keys\":[" + com.nimbusds.jose.util.JSONObjectUtils.toJSONString(
                mandate.issuer.publicJwk(BenchmarkMandate.ZONE)) + "]}";
        springDecoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<SecurityContext>(JWKSet.parse(jwks)))
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .build();
        springDecoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(mandate.issuer.url()));
        jose4j = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer(mandate.issuer.url())
                .setExpectedAudience(BenchmarkMandate.AUDIENCE)
                .setRequireExpirationTime()
                .build();
        springNimbusJwtDecoder();
        jose4jJwtConsumer();
    }

    /** Stops the issuer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        mandate.close();
    }

    /** @return the decoded token */
    @Benchmark
    public Jwt springNimbusJwtDecoder() {
        return springDecoder.decode(mandate.token);
    }

    /**
     * @return the verified claims
     * @throws Exception never for the benchmark mandate
     */
    @Benchmark
    public Object jose4jJwtConsumer() throws Exception {
        return jose4j.processToClaims(mandate.token);
    }

}
