package ai.caracal.verify;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Builds each key's precomputed table on the thread that loads the key, before its key set is published,
 * so that every specification test verifies through the tables (in production a background thread builds
 * them while BouncyCastle's provider verifies). Registered through extension auto-detection, which every
 * run of this module enables; {@code TablePathTest} checks that it took effect.
 */
public final class TablesAtKeyLoadExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        TableKeyVerifier.builds = Runnable::run;
    }
}
