package ai.caracal.jaxrs;

import ai.caracal.verify.http.HttpBoundary;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x context of a Quarkus REST request, where the request's OpenTelemetry context is kept when
 * Quarkus' OpenTelemetry extension is in: its {@code ContextStorage} ({@value #QUARKUS_STORAGE}) keeps the
 * current context in the Vert.x <em>duplicated</em> context current on the thread, which Quarkus creates
 * for each request and which follows it from the event loop to a worker thread and back; the context is
 * dropped with the request. Only there may the filter make the request's baggage current from an event
 * loop: with any other storage (OpenTelemetry's default thread-local one, or the extension's storage
 * wrapped by another), the baggage would stay on the event loop's thread and reach the other requests it
 * serves, so {@link #current()} is {@code null} and nothing is entered.
 *
 * <p>Everything is reached reflectively by name (the storage through {@code ContextStorage.get()}, Vert.x's
 * {@code Vertx.currentContext()} and {@code Context.runOnContext}, SmallRye's
 * {@code VertxContext.isDuplicatedContext}, which the extension's storage uses itself), so that this module
 * needs none of them and loads no OpenTelemetry class; call {@link #current()} only when
 * {@link HttpBoundary#entersContext()} (the API is present).
 */
final class VertxRequestContext {

    /** The context storage of {@code io.quarkus:quarkus-opentelemetry}. */
    static final String QUARKUS_STORAGE = "io.quarkus.opentelemetry.runtime.QuarkusContextStorage";

    private static final Logger log = LoggerFactory.getLogger(VertxRequestContext.class);

    /** Found on first use, then fixed (as OpenTelemetry fixes its storage on first use). */
    private static volatile Access access;

    private final Access via;
    private final Object context;

    private VertxRequestContext(Access via, Object context) {
        this.via = via;
        this.context = context;
    }

    /**
     * @return the Vert.x duplicated context current on this thread, when the OpenTelemetry context storage
     *         keeps the current context in it; otherwise (another storage, no Vert.x context, a context that
     *         is not duplicated, or a failure) {@code null}
     */
    static VertxRequestContext current() {
        Access found = access();
        if (found == Access.NONE) {
            return null;
        }
        try {
            Object context = found.currentContext.invoke(null);
            if (context == null || !Boolean.TRUE.equals(found.isDuplicated.invoke(null, context))) {
                return null;
            }
            return new VertxRequestContext(found, context);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException | LinkageError e) {
            log.debug("Could not read the current Vert.x context; no Caracal baggage for this request ({})", e.toString());
            return null;
        }
    }

    /**
     * Schedules {@code task} on this context (its event loop, with the context current while it runs).
     *
     * @return {@code false} when it could not be scheduled (then it never runs)
     */
    boolean execute(Runnable task) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            switch (method.getName()) {
                case "handle":
                    task.run();
                    return null;
                case "equals":
                    return proxy == arguments[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "Caracal baggage task";
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        };
        try {
            Object action = Proxy.newProxyInstance(via.handler.getClassLoader(), new Class<?>[] {via.handler}, handler);
            via.runOnContext.invoke(context, action);
            return true;
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException | LinkageError e) {
            log.warn("Could not schedule on the request's Vert.x context; the request goes on without Caracal baggage ({})",
                    e.toString());
            return false;
        }
    }

    private static Access access() {
        Access found = access;
        if (found == null) {
            found = find();
            access = found;
        }
        return found;
    }

    private static Access find() {
        Object storage;
        try {
            Class<?> storageType = Class.forName("io.opentelemetry.context.ContextStorage", false,
                    HttpBoundary.class.getClassLoader());
            storage = storageType.getMethod("get").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("No OpenTelemetry context storage found; no Caracal baggage on Quarkus REST ({})", e.toString());
            return Access.NONE;
        }
        String name = storage == null ? "none" : storage.getClass().getName();
        if (!QUARKUS_STORAGE.equals(name)) {
            log.debug("The OpenTelemetry context storage is {}, not kept per request: no Caracal baggage on Quarkus REST "
                    + "(add the quarkus-opentelemetry extension)", name);
            return Access.NONE;
        }
        try {
            ClassLoader loader = storage.getClass().getClassLoader();
            Class<?> context = Class.forName("io.vertx.core.Context", false, loader);
            Class<?> handler = Class.forName("io.vertx.core.Handler", false, loader);
            return new Access(Class.forName("io.vertx.core.Vertx", false, loader).getMethod("currentContext"),
                    Class.forName("io.smallrye.common.vertx.VertxContext", false, loader).getMethod("isDuplicatedContext", context),
                    context.getMethod("runOnContext", handler), handler);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("Quarkus' OpenTelemetry context storage is in, but a Vert.x method Caracal uses is missing; no Caracal "
                    + "baggage on Quarkus REST ({})", e.toString());
            return Access.NONE;
        }
    }

    /** The methods found by name: {@code Vertx.currentContext()}, the duplicated check, {@code runOnContext}. */
    private static final class Access {
        static final Access NONE = new Access(null, null, null, null);

        final Method currentContext;
        final Method isDuplicated;
        final Method runOnContext;
        final Class<?> handler;

        Access(Method currentContext, Method isDuplicated, Method runOnContext, Class<?> handler) {
            this.currentContext = currentContext;
            this.isDuplicated = isDuplicated;
            this.runOnContext = runOnContext;
            this.handler = handler;
        }
    }
}
