package ai.caracal.bench;

import java.security.Provider;
import java.security.Security;

/** The JCA providers the benchmarks compare, by short name: {@code jdk}, {@code bc}, {@code accp}, {@code conscrypt}. */
final class Providers {

    private Providers() {
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
