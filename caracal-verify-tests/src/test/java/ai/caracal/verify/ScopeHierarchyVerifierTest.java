package ai.caracal.verify;

import static ai.caracal.testkit.CaracalAssertions.assertThat;
import static ai.caracal.verify.SpecBaseline.mandate;
import static org.assertj.core.api.Assertions.assertThat;

import ai.caracal.testkit.CaracalTest;
import ai.caracal.testkit.TestIssuer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** connectors.md §10.2 M11: the verifier's scope checks, and {@code Requirements.check}, honour the hierarchy. */
@CaracalTest(zone = "zone-1", audience = "https://api.test")
class ScopeHierarchyVerifierTest {

    private static final ScopeHierarchy DOCUMENTS = ScopeHierarchy.builder()
            .implies("documents:admin", "documents:write")
            .implies("documents:write", "documents:read")
            .build();

    @Test
    @DisplayName("M11 the verifier accepts a scope implied by a granted one")
    void verifierAcceptsImpliedScope(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().requiredScopes("documents:read").scopeHierarchy(DOCUMENTS).build();
        assertThat(verifier.authenticate(mandate(issuer).scope("documents:admin").sign())).isOk();
        assertThat(verifier.options().scopeHierarchy()).isSameAs(DOCUMENTS);
    }

    @Test
    @DisplayName("M11 the verifier still refuses a broader scope for a narrower grant, naming the demanded scope")
    void verifierRefusesBroaderScope(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().requiredScopes("documents:write").scopeHierarchy(DOCUMENTS).build();
        assertThat(verifier.authenticate(mandate(issuer).scope("documents:read").sign()))
                .failedWith(ErrorCode.INSUFFICIENT_SCOPE).hasDescription("Mandate lacks scope: documents:write");
    }

    @Test
    @DisplayName("M11 without a hierarchy the match stays exact")
    void withoutHierarchyMatchIsExact(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().requiredScopes("documents:read").build();
        assertThat(verifier.authenticate(mandate(issuer).scope("documents:admin").sign()))
                .failedWith(ErrorCode.INSUFFICIENT_SCOPE);
    }

    @Test
    @DisplayName("M11 require(...) keeps the verifier's hierarchy")
    void requireKeepsHierarchy(TestIssuer issuer) {
        MandateVerifier verifier = issuer.verifier().scopeHierarchy(DOCUMENTS).build()
                .require(Requirements.builder().requiredScopes("documents:write").build());
        assertThat(verifier.authenticate(mandate(issuer).scope("documents:admin").sign())).isOk();
        assertThat(verifier.authenticate(mandate(issuer).scope("documents:read").sign())).failedWith(ErrorCode.INSUFFICIENT_SCOPE);
    }

    @Test
    @DisplayName("M11 Requirements.check(claims, hierarchy) honours it; check(claims) stays exact")
    void requirementsCheckHonoursHierarchy(TestIssuer issuer) {
        Claims admin = issuer.verifier().build().authenticate(mandate(issuer).scope("documents:admin").sign()).principal();
        Requirements read = Requirements.builder().requiredScopes("documents:read").build();
        assertThat(read.check(admin, DOCUMENTS)).isEmpty();
        assertThat(read.check(admin)).hasValueSatisfying(error -> assertThat(error.code()).isEqualTo(ErrorCode.INSUFFICIENT_SCOPE));
    }
}
