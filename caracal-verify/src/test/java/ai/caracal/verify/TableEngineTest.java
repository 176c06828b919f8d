package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How keys get their precomputed tables: built off the calling thread, verified by the plain provider
 * until then, awaited by a warm-up, kept across refreshes of an unchanged key, bounded per key set; and
 * how the engine is chosen.
 */
class TableEngineTest {

    /** Holds table builds until released, and records the threads that ran them. */
    private static final class HeldBuilds implements Executor {
        final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        final List<String> threads = new ArrayList<>();

        @Override
        public void execute(Runnable build) {
            held.add(build);
        }

        void release() {
            Runnable build;
            while ((build = held.poll()) != null) {
                threads.add(Thread.currentThread().getName());
                build.run();
            }
        }
    }

    private HeldBuilds builds;
    private Executor previousBuilds;

    @BeforeEach
    void holdBuilds() {
        builds = new HeldBuilds();
        previousBuilds = TableKeyVerifier.builds;
        TableKeyVerifier.builds = builds;
    }

    @AfterEach
    void restoreBuilds() {
        TableKeyVerifier.builds = previousBuilds;
    }

    @Test
    void keyVerifiesThroughThePlainProviderUntilItsTableIsBuiltElsewhere() throws Exception {
        SignedSample sample = SignedSample.create();
        VerificationKey key = sample.key("k1", SignatureEngine.tables(Es256TestKeys.BC));

        assertThat(key.hasTable()).isTrue();
        assertThat(key.ready()).isNotDone();
        assertThat(key.tableInUse()).isFalse();
        assertThat(builds.held).hasSize(1);
        assertThat(key.verify(sample.signed, sample.length, sample.signature)).isTrue();
        assertThat(key.verify(sample.signed, sample.length, sample.tampered())).isFalse();

        Thread builder = new Thread(builds::release, "table-builder");
        builder.start();
        builder.join();
        assertThat(builds.threads).containsExactly("table-builder");
        assertThat(key.ready()).isCompleted();
        assertThat(key.tableInUse()).isTrue();
        assertThat(key.verify(sample.signed, sample.length, sample.signature)).isTrue();
        assertThat(key.verify(sample.signed, sample.length, sample.tampered())).isFalse();
    }

    @Test
    void warmupCompletesOnlyWhenTheTablesAreBuilt() throws Exception {
        SignedSample sample = SignedSample.create();
        KeySource source = new KeySource(URI.create("https://issuer.test/jwks"), policy(sample.jwks("k1"),
                SignatureEngine.tables(Es256TestKeys.BC)));

        CompletableFuture<Void> warmup = source.refresh();
        assertThat(warmup).isNotDone();
        KeyLookup lookup = source.lookup("k1").join();
        assertThat(lookup).isInstanceOf(VerificationKey.class);
        assertThat(((VerificationKey) lookup).verify(sample.signed, sample.length, sample.signature)).isTrue();

        builds.release();
        warmup.get(10, TimeUnit.SECONDS);
        assertThat(((VerificationKey) lookup).tableInUse()).isTrue();
    }

    @Test
    void aTableBuildThatDoesNotFinishNeverFailsTheWarmup() throws Exception {
        SignedSample sample = SignedSample.create();
        // the builds are held and never released: the warm-up gives up waiting for them, not for the keys
        KeySource source = new KeySource(URI.create("https://issuer.test/jwks"), policy(sample.jwks("k1"),
                SignatureEngine.tables(Es256TestKeys.BC)), 200);

        source.refreshBlocking();
        KeyLookup lookup = source.lookup("k1").join();
        assertThat(((VerificationKey) lookup).tableInUse()).isFalse();
        assertThat(((VerificationKey) lookup).verify(sample.signed, sample.length, sample.signature)).isTrue();
    }

    @Test
    void refreshKeepsAnUnchangedKeyAndItsTable() throws Exception {
        SignedSample sample = SignedSample.create();
        SignatureEngine engine = SignatureEngine.tables(Es256TestKeys.BC);
        byte[] body = sample.jwks("k1").getBytes(StandardCharsets.UTF_8);
        Map<String, VerificationKey> first = JwksDocument.parse(body, engine, Map.of());
        builds.release();

        Map<String, VerificationKey> second = JwksDocument.parse(body, engine, first);
        assertThat(second.get("k1")).isSameAs(first.get("k1"));
        assertThat(builds.held).isEmpty();

        SignedSample other = SignedSample.create();
        Map<String, VerificationKey> rotated = JwksDocument.parse(other.jwks("k1").getBytes(StandardCharsets.UTF_8), engine, first);
        assertThat(rotated.get("k1")).isNotSameAs(first.get("k1"));
        assertThat(builds.held).hasSize(1);
    }

    @Test
    void atMostEightKeysOfASetGetATable() throws Exception {
        StringBuilder jwks = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < 10; i++) {
            jwks.append(i == 0 ? "" : ",").append(SignedSample.create().jwk("k" + i));
        }
        jwks.append("]}");
        Map<String, VerificationKey> keys = JwksDocument.parse(jwks.toString().getBytes(StandardCharsets.UTF_8),
                SignatureEngine.tables(Es256TestKeys.BC), Map.of());

        assertThat(keys).hasSize(10);
        assertThat(keys.values().stream().filter(VerificationKey::hasTable)).hasSize(JwksDocument.MAX_TABLES);
        assertThat(builds.held).hasSize(JwksDocument.MAX_TABLES);
    }

    @Test
    void aPlainEngineBuildsNoTable() throws Exception {
        SignedSample sample = SignedSample.create();
        VerificationKey key = sample.key("k1", SignatureEngine.plain(Es256TestKeys.BC));

        assertThat(key.hasTable()).isFalse();
        assertThat(key.ready()).isCompleted();
        assertThat(builds.held).isEmpty();
        assertThat(key.verify(sample.signed, sample.length, sample.signature)).isTrue();
    }

    @Test
    void theSpeedTrialKeepsTheFasterWayAndNewKeysFollowIt() throws Exception {
        SpeedTrial slowProvider = SpeedTrial.against("slow provider");
        slowProvider.runOnce((signed, length, signature) -> false, (signed, length, signature) -> sleepOneMilli());
        assertThat(slowProvider.tablesWin()).isTrue();

        SpeedTrial slowTables = SpeedTrial.against("fast provider");
        slowTables.runOnce((signed, length, signature) -> sleepOneMilli(), (signed, length, signature) -> false);
        assertThat(slowTables.providerWins()).isTrue();
    }

    @Test
    void aKeyOfARacingEngineVerifiesThroughTheProviderUntilTheTrialIsDecided() throws Exception {
        SignedSample sample = SignedSample.create();
        SignatureEngine racing = SignatureEngine.racing(Es256TestKeys.BC);
        VerificationKey key = sample.key("k1", racing);
        assertThat(racing.trial().outcome()).isEqualTo(SpeedTrial.Outcome.UNDECIDED);
        assertThat(key.verify(sample.signed, sample.length, sample.signature)).isTrue();

        builds.release();
        assertThat(racing.trial().outcome()).isNotEqualTo(SpeedTrial.Outcome.UNDECIDED);
        assertThat(key.verify(sample.signed, sample.length, sample.signature)).isTrue();
        assertThat(key.verify(sample.signed, sample.length, sample.tampered())).isFalse();
    }

    @Test
    void thePropertyNamesTheEngine() {
        assertThat(SignatureProviders.choose("tables").usesTables()).isTrue();
        assertThat(SignatureProviders.choose("tables").trial()).isSameAs(SpeedTrial.NONE);
        assertThat(SignatureProviders.choose("bc").usesTables()).isFalse();
        assertThat(SignatureProviders.choose("bc").provider().getName()).isEqualTo("BC");
        assertThat(SignatureProviders.choose("jdk").usesTables()).isFalse();
        assertThat(SignatureProviders.choose("jdk").provider()).isNull();
        assertThatThrownBy(() -> SignatureProviders.choose("accp")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("caracal.crypto.provider=accp");
    }

    @Test
    void byDefaultBouncyCastleOnTheClasspathMeansTables() {
        // caracal-verify's own test class path has BouncyCastle and no native provider
        SignatureEngine engine = SignatureProviders.choose(null);
        assertThat(engine.usesTables()).isTrue();
        assertThat(engine.trial()).isSameAs(SpeedTrial.NONE);
        assertThat(engine.provider().getName()).isEqualTo("BC");
    }

    private static boolean sleepOneMilli() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static JwksPolicy policy(String jwks, SignatureEngine engine) {
        JwksFetcher fetcher = (uri, timeout, maxBytes) -> CompletableFuture.completedFuture(jwks.getBytes(StandardCharsets.UTF_8));
        return new JwksPolicy(300_000, 600_000, Duration.ofSeconds(5), 30_000, 262_144, 250, 5_000, Clock.systemUTC(), engine,
                fetcher, new VerificationListener[0]);
    }

    /** A fresh P-256 key pair and one ES256 signature over a token-like signing input. */
    private static final class SignedSample {
        final ECPublicKey publicKey;
        final byte[] signed;
        final int length;
        final byte[] signature;

        private SignedSample(ECPublicKey publicKey, byte[] signed, int length, byte[] signature) {
            this.publicKey = publicKey;
            this.signed = signed;
            this.length = length;
            this.signature = signature;
        }

        static SignedSample create() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            byte[] signed = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.signature".getBytes(StandardCharsets.US_ASCII);
            int length = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ".length();
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(pair.getPrivate());
            signer.update(signed, 0, length);
            return new SignedSample((ECPublicKey) pair.getPublic(), signed, length, signer.sign());
        }

        byte[] tampered() {
            byte[] copy = signature.clone();
            copy[5] ^= 1;
            return copy;
        }

        String jwk(String kid) {
            Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
            return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"x\":\""
                    + encoder.encodeToString(BigIntegers.asUnsignedByteArray(32, publicKey.getW().getAffineX())) + "\",\"y\":\""
                    + encoder.encodeToString(BigIntegers.asUnsignedByteArray(32, publicKey.getW().getAffineY())) + "\"}";
        }

        String jwks(String kid) {
            return "{\"keys\":[" + jwk(kid) + "]}";
        }

        VerificationKey key(String kid, SignatureEngine engine) {
            Map<String, VerificationKey> keys = JwksDocument.parse(jwks(kid).getBytes(StandardCharsets.UTF_8), engine, Map.of());
            return keys.get(kid);
        }
    }
}
