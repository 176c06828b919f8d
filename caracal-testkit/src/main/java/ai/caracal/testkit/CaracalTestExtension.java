package ai.caracal.testkit;

import ai.caracal.revocation.InMemoryRevocationStore;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link CaracalTest}: one {@link TestIssuer} per annotated test class
 * (closed after the class), reset before each test, and parameter resolution for
 * {@link TestIssuer}, {@link InMemoryRevocationStore} and {@link TestClock}. Nested classes without
 * their own annotation share the enclosing class's issuer.
 */
public final class CaracalTestExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CaracalTestExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        boolean declaredHere = testClass.getDeclaredAnnotation(CaracalTest.class) != null;
        if (!declaredHere && context.getParent().flatMap(CaracalTestExtension::find).isPresent()) {
            return;
        }
        CaracalTest settings = AnnotationSupport.findAnnotation(testClass, CaracalTest.class)
                .orElseThrow(() -> new IllegalStateException("CaracalTestExtension needs @CaracalTest on " + testClass.getName()));
        // The store closes AutoCloseable values when the class's context ends.
        context.getStore(NAMESPACE).put(TestIssuer.class,
                TestIssuer.start(settings.zone(), settings.audience(), settings.extraZones()));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        issuer(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestIssuer.class || type == InMemoryRevocationStore.class || type == TestClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestIssuer issuer = issuer(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == TestIssuer.class) {
            return issuer;
        }
        if (type == InMemoryRevocationStore.class) {
            return issuer.revocations();
        }
        return issuer.clock();
    }

    private static TestIssuer issuer(ExtensionContext context) {
        return find(context).orElseThrow(
                () -> new ParameterResolutionException("No TestIssuer: annotate the test class with @CaracalTest"));
    }

    private static Optional<TestIssuer> find(ExtensionContext context) {
        for (Optional<ExtensionContext> current = Optional.of(context); current.isPresent(); current = current.get().getParent()) {
            TestIssuer issuer = current.get().getStore(NAMESPACE).get(TestIssuer.class, TestIssuer.class);
            if (issuer != null) {
                return Optional.of(issuer);
            }
        }
        return Optional.empty();
    }
}
