package ai.caracal.spring;

import ai.caracal.testkit.TestIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * A real Spring Boot application for tests: auto-configuration on, embedded Tomcat on a random
 * loopback port, configured only through properties (as a user would), plus optional extra sources
 * and singletons. Works unchanged on Boot 3.5 and 4.1.
 *
 * <p>Spring Security and Boot's own Micrometer registry are on the test class path for the tests that
 * need them; every other application switches their auto-configuration off, so only the test that
 * asks for them ({@link Builder#withSecurity()}, {@link Builder#withBootMetrics()}) gets them.
 */
final class TestApp implements AutoCloseable {

    /** Security and metrics auto-configurations of Boot 3.5 and 4.1 (absent names are ignored). */
    private static final List<String> SECURITY = List.of(
            "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.security.reactive.ReactiveManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration");
    /** Reactor Netty's server factory: Boot 3.5's class, then Boot 4's. */
    private static final List<String> NETTY_FACTORY = List.of(
            "org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory",
            "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory");
    private static final List<String> METRICS = List.of(
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final ConfigurableApplicationContext context;
    private final URI base;

    private TestApp(ConfigurableApplicationContext context) {
        this.context = context;
        String port = context.getEnvironment().getProperty("local.server.port");
        this.base = port == null ? null : URI.create("http://127.0.0.1:" + port);
    }

    /** @return a builder with no Caracal settings at all */
    static Builder builder() {
        return new Builder();
    }

    /**
     * @param issuer the test issuer
     * @return a builder pointed at the issuer (sts-url, audience, zone), with the in-memory store and
     *         no warm-up
     */
    static Builder with(TestIssuer issuer) {
        return builder()
                .property("caracal.sts-url", issuer.url())
                .property("caracal.audience", issuer.audience())
                .property("caracal.zone-id", issuer.zone())
                .property("caracal.revocation.store", "memory")
                .property("caracal.warmup-on-startup", "false");
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), token);
    }

    HttpResponse<String> send(String method, String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()), token);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

    /** The application class: auto-configuration, no component scan. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    static final class Builder {
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private final Map<String, Object> singletons = new LinkedHashMap<>();
        private final Map<String, Class<?>> beanClasses = new LinkedHashMap<>();
        private final List<Class<?>> sources = new ArrayList<>(List.of(Application.class));
        private final List<String> hidden = new ArrayList<>();
        private final List<String> excluded = new ArrayList<>();
        private WebApplicationType type = WebApplicationType.SERVLET;
        private boolean security;
        private boolean bootMetrics;

        Builder property(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        Builder without(String key) {
            properties.remove(key);
            return this;
        }

        Builder bean(String name, Object singleton) {
            singletons.put(name, singleton);
            return this;
        }

        Builder sources(Class<?>... classes) {
            sources.addAll(List.of(classes));
            return this;
        }

        Builder type(WebApplicationType webApplicationType) {
            this.type = webApplicationType;
            return this;
        }

        /**
         * A reactive (WebFlux) application on Reactor Netty. Tomcat is on the test class path as well,
         * and Boot would prefer it, so the Netty server factory is declared explicitly.
         */
        Builder reactive() {
            this.type = WebApplicationType.REACTIVE;
            beanClasses.put("nettyReactiveWebServerFactory", nettyFactory());
            return this;
        }

        private static Class<?> nettyFactory() {
            for (String name : NETTY_FACTORY) {
                try {
                    return Class.forName(name);
                } catch (ClassNotFoundException e) {
                    // the other Boot line
                }
            }
            throw new IllegalStateException("no Reactor Netty server factory on the class path: " + NETTY_FACTORY);
        }

        Builder withSecurity() {
            this.security = true;
            return this;
        }

        Builder withBootMetrics() {
            this.bootMetrics = true;
            return this;
        }

        /** Makes every class under these package prefixes invisible to the application, as if absent. */
        Builder hiding(String... packagePrefixes) {
            hidden.addAll(List.of(packagePrefixes));
            return this;
        }

        Builder excludeAutoConfiguration(String className) {
            excluded.add(className);
            return this;
        }

        TestApp start() {
            SpringApplication application = new SpringApplication(sources.toArray(Class<?>[]::new));
            application.setWebApplicationType(type);
            application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
            application.setLogStartupInfo(false);
            if (!hidden.isEmpty()) {
                application.setResourceLoader(new DefaultResourceLoader(new HidingClassLoader(hidden)));
            }
            if (!beanClasses.isEmpty()) {
                application.addInitializers(context -> beanClasses.forEach((name, beanClass) ->
                        ((org.springframework.beans.factory.support.BeanDefinitionRegistry) context.getBeanFactory())
                                .registerBeanDefinition(name, new org.springframework.beans.factory.support.RootBeanDefinition(beanClass))));
            }
            if (!singletons.isEmpty()) {
                application.addInitializers(context -> singletons.forEach(context.getBeanFactory()::registerSingleton));
            }
            List<String> exclude = new ArrayList<>(excluded);
            if (!security) {
                exclude.addAll(SECURITY);
            }
            if (!bootMetrics) {
                exclude.addAll(METRICS);
            }
            List<String> args = new ArrayList<>();
            args.add("--server.port=0");
            args.add("--server.address=127.0.0.1");
            args.add("--spring.jmx.enabled=false");
            args.add("--server.shutdown=immediate");
            args.add("--spring.autoconfigure.exclude=" + String.join(",", exclude));
            properties.forEach((key, value) -> args.add("--" + key + "=" + value));
            return new TestApp(application.run(args.toArray(String[]::new)));
        }

        /** @return the exception that stopped the application from starting */
        Throwable failure() {
            try {
                TestApp app = start();
                app.close();
            } catch (RuntimeException e) {
                return e;
            }
            throw new AssertionError("the application started, but was expected to fail");
        }
    }

    /** Hides classes by package prefix; everything else comes from the test class path. */
    static final class HidingClassLoader extends URLClassLoader {
        private final List<String> hidden;

        HidingClassLoader(List<String> hidden) {
            super(new URL[0], TestApp.class.getClassLoader());
            this.hidden = List.copyOf(hidden);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            for (String prefix : hidden) {
                if (name.startsWith(prefix)) {
                    throw new ClassNotFoundException(name + " is hidden for this test");
                }
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            for (String prefix : hidden) {
                if (name.startsWith(prefix.replace('.', '/'))) {
                    return null;
                }
            }
            return super.getResource(name);
        }
    }
}
