package ai.caracal.spring;

import ai.caracal.verify.MandateVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Fetches the key set once the application is ready ({@code caracal.warmup-on-startup}), so the first
 * request does not wait for it. A failure is logged at WARN and never stops the application: keys are
 * then fetched on first use.
 */
final class CaracalWarmup implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(CaracalWarmup.class);

    private final MandateVerifier verifier;

    CaracalWarmup(MandateVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        try {
            verifier.warmup();
            log.debug("Caracal key set warmed up from {}", verifier.options().jwksUri());
        } catch (RuntimeException e) {
            log.warn("Caracal key set warm-up failed; keys will be fetched on first use: {}", e.getMessage());
        }
    }
}
