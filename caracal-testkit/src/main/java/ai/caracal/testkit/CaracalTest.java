package ai.caracal.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class with an in-process {@link TestIssuer}: real ES256 keys and a real JWKS served on
 * {@code 127.0.0.1}. Test and lifecycle methods can declare parameters of type {@link TestIssuer},
 * {@link ai.caracal.revocation.InMemoryRevocationStore} and {@link TestClock}.
 *
 * <p>Keys and the HTTP server live per test class. The revocation store, the clock (back to
 * {@link TestClock#START}), epochs, JWKS fault settings and request counters are reset before each test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CaracalTestExtension.class)
public @interface CaracalTest {

    /** @return the zone that mandates are minted in and verifiers are configured for */
    String zone() default "zone-1";

    /** @return the audience of minted mandates and configured verifiers */
    String audience() default "https://api.test";

    /** @return further zones that get keys at start-up */
    String[] extraZones() default {};
}
