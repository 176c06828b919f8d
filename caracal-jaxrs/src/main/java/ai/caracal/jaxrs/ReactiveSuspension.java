package ai.caracal.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Suspends and resumes a Quarkus REST (RESTEasy Reactive) request, whose pre-matching filters run on a
 * Vert.x event loop. Its request contexts implement {@value #SPI}, which adds {@code suspend()} and
 * {@code resume()} to {@link ContainerRequestContext}; they are called reflectively so that this module
 * needs nothing beyond the Jakarta REST API. {@link #of(ContainerRequestContext)} is {@code null} for
 * every other runtime (Jersey, RESTEasy classic), whose filters run on worker threads.
 */
final class ReactiveSuspension {

    static final String SPI = "org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext";

    private static final ClassValue<ReactiveSuspension> BY_CLASS = new ClassValue<>() {
        @Override
        protected ReactiveSuspension computeValue(Class<?> type) {
            Class<?> spi = find(type);
            if (spi == null) {
                return NONE;
            }
            try {
                return new ReactiveSuspension(spi.getMethod("suspend"), spi.getMethod("resume"));
            } catch (NoSuchMethodException e) {
                return NONE;
            }
        }
    };

    private static final ReactiveSuspension NONE = new ReactiveSuspension(null, null);

    private final Method suspend;
    private final Method resume;

    private ReactiveSuspension(Method suspend, Method resume) {
        this.suspend = suspend;
        this.resume = resume;
    }

    /** @return the suspension of this context's runtime, or {@code null} when it cannot suspend a filter */
    static ReactiveSuspension of(ContainerRequestContext context) {
        ReactiveSuspension suspension = BY_CLASS.get(context.getClass());
        return suspension == NONE ? null : suspension;
    }

    /** Stops the filter chain after the current filter returns, until {@link #resume} or {@code abortWith}. */
    void suspend(ContainerRequestContext context) {
        invoke(suspend, context);
    }

    /** Continues the filter chain on the request's own event loop. */
    void resume(ContainerRequestContext context) {
        invoke(resume, context);
    }

    /**
     * Calls a method found by name on a runtime's SPI; what it throws is rethrown as is (an unchecked
     * exception or error) or wrapped in an {@link IllegalStateException}.
     */
    static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method, e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** The {@value #SPI} interface among the type's interfaces, or {@code null}. */
    static Class<?> find(Class<?> type) {
        Deque<Class<?>> pending = new ArrayDeque<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            pending.add(c);
        }
        while (!pending.isEmpty()) {
            Class<?> next = pending.poll();
            if (next.isInterface() && next.getName().equals(SPI)) {
                return next;
            }
            for (Class<?> implemented : next.getInterfaces()) {
                pending.add(implemented);
            }
        }
        return null;
    }
}
