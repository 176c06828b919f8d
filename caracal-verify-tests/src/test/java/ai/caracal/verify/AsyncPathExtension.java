package ai.caracal.verify;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Routes every blocking verification of the specification tests through
 * {@link MandateVerifier#authenticateAsync(String)} when the system property
 * {@code caracal.verify.async} is {@code true} (the module's {@code async-path} test run). Registered
 * through extension auto-detection; in the other runs the property is unset and the switch stays off.
 */
public final class AsyncPathExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        MandateVerifier.blockingThroughAsync = Boolean.getBoolean("caracal.verify.async");
    }
}
