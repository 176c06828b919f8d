package ai.caracal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** §5.2: {@link Requirements.Builder} validates every entry and keeps "unset" distinct from "set empty". */
class RequirementsBuilderTest {

    /** A list option of the builder: how to set it and how to read it back. */
    private record ListOption(String name,
                              BiConsumer<Requirements.Builder, Collection<String>> set,
                              BiConsumer<Requirements.Builder, String[]> setVarargs,
                              Function<Requirements, Optional<List<String>>> get) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ListOption> listOptions() {
        return Stream.of(
                new ListOption("requiredScopes", Requirements.Builder::requiredScopes, Requirements.Builder::requiredScopes,
                        Requirements::requiredScopes),
                new ListOption("requiredTargets", Requirements.Builder::requiredTargets, Requirements.Builder::requiredTargets,
                        Requirements::requiredTargets),
                new ListOption("requireChainContains", Requirements.Builder::requireChainContains,
                        Requirements.Builder::requireChainContains, Requirements::requireChainContains));
    }

    static Stream<Arguments> blankEntries() {
        return listOptions().flatMap(option -> Stream.of("", " ", "\t", "\u2003")
                .map(blank -> Arguments.of(option, Named.of("\"" + blank.replace("\t", "\\t") + "\"", blank))));
    }

    @ParameterizedTest(name = "{0} with a blank entry {1} throws")
    @MethodSource("blankEntries")
    @DisplayName("a blank entry throws IllegalArgumentException naming the option")
    void blankEntryThrows(ListOption option, String blank) {
        assertThatThrownBy(() -> option.setVarargs().accept(Requirements.builder(), new String[] {"ok", blank}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(option.name() + " must not contain blank entries");
    }

    @ParameterizedTest(name = "{0} with a null entry throws")
    @MethodSource("listOptions")
    @DisplayName("a null entry throws NullPointerException naming the option")
    void nullEntryThrows(ListOption option) {
        assertThatThrownBy(() -> option.set().accept(Requirements.builder(), Arrays.asList("ok", null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage(option.name() + " must not contain null");
    }

    @ParameterizedTest(name = "{0}(null) throws")
    @MethodSource("listOptions")
    @DisplayName("a null array or collection throws NullPointerException naming the option")
    void nullListThrows(ListOption option) {
        assertThatThrownBy(() -> option.setVarargs().accept(Requirements.builder(), null))
                .isInstanceOf(NullPointerException.class).hasMessage(option.name());
        assertThatThrownBy(() -> option.set().accept(Requirements.builder(), null))
                .isInstanceOf(NullPointerException.class).hasMessage(option.name());
    }

    @ParameterizedTest(name = "{0} set to an empty list is set, not unset")
    @MethodSource("listOptions")
    @DisplayName("setting an empty list is distinct from leaving the option unset (it clears a default in require())")
    void emptyListIsSet(ListOption option) {
        Requirements.Builder builder = Requirements.builder();
        option.setVarargs().accept(builder, new String[0]);
        assertThat(option.get().apply(builder.build())).contains(List.of());
        assertThat(option.get().apply(Requirements.builder().build())).isEmpty();
    }

    @ParameterizedTest(name = "{0} keeps its own copy")
    @MethodSource("listOptions")
    @DisplayName("the builder copies the list: later changes to the caller's list have no effect, and the result is unmodifiable")
    void listIsCopied(ListOption option) {
        List<String> values = new ArrayList<>(List.of("a", "b"));
        Requirements.Builder builder = Requirements.builder();
        option.set().accept(builder, values);
        values.add("c");
        List<String> stored = option.get().apply(builder.build()).orElseThrow();
        assertThat(stored).containsExactly("a", "b");
        assertThatThrownBy(() -> stored.add("d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest(name = "requiredUse(\"{0}\") throws")
    @ValueSource(strings = {"gateway", "Resource", "SESSION", "refresh", "", " resource"})
    @DisplayName("requiredUse accepts only resource and session, exactly")
    void onlyResourceOrSessionMayBeRequired(String use) {
        assertThatThrownBy(() -> Requirements.builder().requiredUse(use))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requiredUse must be \"resource\" or \"session\"");
    }

    @Test
    @DisplayName("requiredUse(null) throws NullPointerException naming the option")
    void nullUseThrows() {
        assertThatThrownBy(() -> Requirements.builder().requiredUse(null))
                .isInstanceOf(NullPointerException.class).hasMessage("requiredUse");
    }

    @Test
    @DisplayName("requiredUse resource and session are accepted")
    void resourceAndSessionMayBeRequired() {
        assertThat(Requirements.builder().requiredUse("resource").build().requiredUse()).contains("resource");
        assertThat(Requirements.builder().requiredUse("session").build().requiredUse()).contains("session");
    }

    @ParameterizedTest(name = "maxHopCount({0}) leaves it unset")
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    @DisplayName("maxHopCount <= 0 leaves the hop limit unset (0)")
    void nonPositiveHopLimitIsUnset(int limit) {
        assertThat(Requirements.builder().maxHopCount(limit).build().maxHopCount()).isZero();
    }

    @Test
    @DisplayName("a fresh builder and NONE leave every field unset")
    void everythingIsUnsetByDefault() {
        for (Requirements r : List.of(Requirements.builder().build(), Requirements.NONE)) {
            assertThat(r.requiredScopes()).isEmpty();
            assertThat(r.requiredTargets()).isEmpty();
            assertThat(r.requireChainContains()).isEmpty();
            assertThat(r.requiredUse()).isEmpty();
            assertThat(r.requireAgent()).isFalse();
            assertThat(r.requireDelegation()).isFalse();
            assertThat(r.maxHopCount()).isZero();
        }
    }
}
