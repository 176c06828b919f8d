/**
 * Caracal mandate verification: {@code MandateVerifier}, {@code Claims}, {@code Requirements}, the error
 * contract, the JWKS cache, {@code CaracalAuth}, and the HTTP boundary shared by every connector
 * ({@code ai.caracal.verify.http}).
 */
module ai.caracal.verify {
    requires transitive ai.caracal.revocation;
    requires java.net.http;
    requires com.nimbusds.jose.jwt;
    requires com.fasterxml.jackson.core;
    requires org.bouncycastle.provider;
    requires org.slf4j;
    // Optional: spans when Micrometer Observation is present, baggage and trace IDs when the OpenTelemetry
    // API is; only the classes that use them load them.
    requires static micrometer.observation;
    requires static io.opentelemetry.api;
    requires static io.opentelemetry.context;

    exports ai.caracal.verify;
    exports ai.caracal.verify.http;
    exports ai.caracal.verify.audit;
}
