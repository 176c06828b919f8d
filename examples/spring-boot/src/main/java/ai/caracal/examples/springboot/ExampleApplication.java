package ai.caracal.examples.springboot;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application: auto-configuration (Spring MVC, embedded Tomcat and the Caracal
 * starter) and {@link ExampleController}, found by the component scan of this package.
 */
@SpringBootApplication(proxyBeanMethods = false)
class ExampleApplication {
}
