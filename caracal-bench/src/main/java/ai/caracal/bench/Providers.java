package ai.caracal.bench;

import ai.caracal.verify.BenchmarkEngines;
import ai.caracal.verify.MandateVerifier;
import java.security.Provider;
import java.time.Clock;
import java.security.Security;

/**
 * The ways of checking ES256 that the benchmarks compare, by short name: {@code tables} (Caracal's
 * precomputed tables, the default with the default dependencies) and the JCA providers {@code jdk},
 * {@code bc}, {@code accp}, {@code conscrypt}.
 */
final class Providers {

    private Providers() {
    }

    /**
     * @return a verifier builder for the benchmark mandate (wall clock), checking signatures the named
     *         way; the caller adds requirements
     */
    static MandateVerifier.Builder verifier(BenchmarkMandate mandate, String name) {
        if ("tables".equals(name)) {
            return MandateVerifier.builder()
                    .issuer(mandate.issuer.url()).audience(mandate.issuer.audience()).zoneId(mandate.issuer.zone())
                    .revocations(mandate.issuer.revocations())
                    .clock(Clock.systemUTC())
                    .jwksCache(BenchmarkEngines.tablesCache(Clock.systemUTC()));
        }
        return mandate.issuer.verifier().clock(Clock.systemUTC()).signatureProvider(named(name));
    }

    static Provider named(String name) {
        try {
            switch (name) {
                case "jdk":
                    return Security.getProvider("SunEC");
                case "bc":
                    return new org.bouncycastle.jce.provider.BouncyCastleProvider();
                case "accp":
                    return com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
                case "conscrypt":
                    return org.conscrypt.Conscrypt.newProvider();
                default:
                    throw new IllegalArgumentException("unknown provider " + name);
            }
        } catch (LinkageError e) {
            throw new IllegalStateException("provider " + name + " cannot load on this machine", e);
        }
    }
}
