package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** connectors.md §10.2 M11: an explicit, transitive, acyclic scope hierarchy. */
class ScopeHierarchyTest {

    private static final ScopeHierarchy DOCUMENTS = ScopeHierarchy.builder()
            .implies("documents:admin", "documents:write")
            .implies("documents:write", "documents:read")
            .build();

    @Test
    @DisplayName("M11 a broader scope implies the narrower ones it names, transitively")
    void broaderScopeImpliesNarrowerTransitively() {
        assertThat(DOCUMENTS.grants(Set.of("documents:admin"), "documents:write")).isTrue();
        assertThat(DOCUMENTS.grants(Set.of("documents:admin"), "documents:read")).isTrue();
        assertThat(DOCUMENTS.impliedBy("documents:admin")).containsExactly("documents:write", "documents:read");
    }

    @Test
    @DisplayName("M11 a narrower scope never implies a broader one, nor a sibling")
    void narrowerScopeDoesNotImplyBroader() {
        assertThat(DOCUMENTS.grants(Set.of("documents:read"), "documents:write")).isFalse();
        assertThat(DOCUMENTS.grants(Set.of("documents:write"), "documents:admin")).isFalse();
        assertThat(DOCUMENTS.grants(Set.of("billing:admin"), "documents:read")).isFalse();
    }

    @Test
    @DisplayName("M11 names still match exactly: no prefixes, no case folding")
    void namesMatchExactly() {
        assertThat(DOCUMENTS.grants(Set.of("Documents:admin"), "documents:read")).isFalse();
        assertThat(DOCUMENTS.grants(Set.of("documents"), "documents:read")).isFalse();
    }

    @Test
    @DisplayName("M11 NONE is exact matching")
    void noneIsExactMatching() {
        assertThat(ScopeHierarchy.NONE.isEmpty()).isTrue();
        assertThat(ScopeHierarchy.NONE.grants(Set.of("documents:admin"), "documents:read")).isFalse();
        assertThat(ScopeHierarchy.NONE.grants(Set.of("documents:read"), "documents:read")).isTrue();
        assertThat(ScopeHierarchy.builder().build()).isSameAs(ScopeHierarchy.NONE);
    }

    @Test
    @DisplayName("M11 a cycle is refused at build, naming it")
    void cycleIsRefused() {
        ScopeHierarchy.Builder cyclic = ScopeHierarchy.builder()
                .implies("a", "b").implies("b", "c").implies("c", "a");
        assertThatThrownBy(cyclic::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scope hierarchy has a cycle: a -> b -> c -> a");
        assertThatThrownBy(() -> ScopeHierarchy.builder().implies("a", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scope a cannot imply itself");
    }

    @Test
    @DisplayName("M11 shared narrower scopes (a diamond) are no cycle")
    void diamondIsNoCycle() {
        ScopeHierarchy diamond = ScopeHierarchy.builder()
                .implies("root", "left", "right").implies("left", "leaf").implies("right", "leaf").build();
        assertThat(diamond.impliedBy("root")).containsExactlyInAnyOrder("left", "right", "leaf");
    }

    @Test
    @DisplayName("M11 blank and null scopes are refused")
    void blankAndNullScopesAreRefused() {
        assertThatThrownBy(() -> ScopeHierarchy.builder().implies(" ", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScopeHierarchy.builder().implies("a", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScopeHierarchy.builder().implies(null, "a")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DOCUMENTS.grants(List.of("a"), null)).isInstanceOf(NullPointerException.class);
    }
}
