package ai.caracal.verify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An explicit scope hierarchy (connectors.md §10.2 M11): a broader scope implies the narrower scopes it
 * names, transitively. A mandate granted {@code documents:admin} in
 *
 * <pre>{@code
 * ScopeHierarchy scopes = ScopeHierarchy.builder()
 *     .implies("documents:admin", "documents:write", "documents:read")
 *     .implies("documents:write", "documents:read")
 *     .build();
 * MandateVerifier verifier = MandateVerifier.builder()...scopeHierarchy(scopes).build();
 * }</pre>
 *
 * meets a demand for {@code documents:read}; one granted {@code documents:read} does not meet a demand for
 * {@code documents:write}. Scope names still match exactly (verification.md §7): there are no wildcards
 * or prefixes, only the edges written here. Cycles are refused when the hierarchy is built, so every
 * scope's closure is finite and computed once.
 *
 * <p>The default everywhere is {@link #NONE}: exact matching only. Immutable and thread-safe.
 */
public final class ScopeHierarchy {

    /** No hierarchy: a demanded scope is met only by the identical granted scope. */
    public static final ScopeHierarchy NONE = new ScopeHierarchy(Map.of());

    /** Every scope with edges → every scope it implies, transitively (itself excluded). */
    private final Map<String, Set<String>> implied;

    private ScopeHierarchy(Map<String, Set<String>> implied) {
        this.implied = implied;
    }

    /** @return a builder with no edges */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param granted  the scopes a mandate was granted (for example {@link Claims#scopes()}); never {@code null}
     * @param demanded one demanded scope; never {@code null}
     * @return whether {@code demanded} is granted, or implied by a granted scope
     */
    public boolean grants(Collection<String> granted, String demanded) {
        Objects.requireNonNull(demanded, "demanded");
        if (granted.contains(demanded)) {
            return true;
        }
        if (implied.isEmpty()) {
            return false;
        }
        for (String scope : granted) {
            Set<String> narrower = implied.get(scope);
            if (narrower != null && narrower.contains(demanded)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param scope a scope; never {@code null}
     * @return every scope {@code scope} implies, transitively, not including itself; empty when none
     */
    public Set<String> impliedBy(String scope) {
        return implied.getOrDefault(Objects.requireNonNull(scope, "scope"), Set.of());
    }

    /** @return whether this hierarchy has no edges (exact matching only) */
    public boolean isEmpty() {
        return implied.isEmpty();
    }

    @Override
    public String toString() {
        return "ScopeHierarchy" + implied;
    }

    /**
     * Builder for {@link ScopeHierarchy}. Each {@link #implies} call adds edges from the broader scope
     * to the narrower ones; repeated calls for the same scope add to its edges. Not thread-safe.
     */
    public static final class Builder {

        private final Map<String, Set<String>> edges = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param broader  the scope that implies the others; not blank
         * @param narrower the scopes it implies; none blank, none equal to {@code broader}
         * @return this builder
         * @throws NullPointerException     for a {@code null} scope
         * @throws IllegalArgumentException for a blank scope, or a scope implying itself
         */
        public Builder implies(String broader, String... narrower) {
            check(broader, "broader");
            Objects.requireNonNull(narrower, "narrower");
            Set<String> targets = edges.computeIfAbsent(broader, scope -> new LinkedHashSet<>());
            for (String scope : narrower) {
                check(scope, "narrower");
                if (scope.equals(broader)) {
                    throw new IllegalArgumentException("scope " + broader + " cannot imply itself");
                }
                targets.add(scope);
            }
            return this;
        }

        /**
         * @return the hierarchy
         * @throws IllegalArgumentException when the edges form a cycle; the message names it
         */
        public ScopeHierarchy build() {
            if (edges.isEmpty()) {
                return NONE;
            }
            Map<String, Set<String>> closures = new LinkedHashMap<>();
            for (String scope : edges.keySet()) {
                closures.put(scope, Collections.unmodifiableSet(closure(scope)));
            }
            return new ScopeHierarchy(Collections.unmodifiableMap(closures));
        }

        /**
         * Depth-first walk from {@code start}: an edge back to a scope on the current path is a cycle; a
         * scope reached before is not walked again.
         */
        private Set<String> closure(String start) {
            Set<String> reached = new LinkedHashSet<>();
            Deque<Edges> stack = new ArrayDeque<>();
            List<String> path = new ArrayList<>();
            path.add(start);
            stack.push(new Edges(start));
            while (!stack.isEmpty()) {
                Edges top = stack.peek();
                String next = top.next();
                if (next == null) {
                    stack.pop();
                    path.remove(path.size() - 1);
                    continue;
                }
                if (path.contains(next)) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                    cycle.add(next);
                    throw new IllegalArgumentException("scope hierarchy has a cycle: " + String.join(" -> ", cycle));
                }
                if (!reached.add(next)) {
                    continue; // explored already, through another path
                }
                path.add(next);
                stack.push(new Edges(next));
            }
            return reached;
        }

        private static void check(String scope, String option) {
            Objects.requireNonNull(scope, option);
            if (scope.isBlank()) {
                throw new IllegalArgumentException(option + " scope must not be blank");
            }
        }

        /** The edges out of one scope, walked once. */
        private final class Edges {
            private final Iterator<String> targets;

            Edges(String scope) {
                this.targets = edges.getOrDefault(scope, Set.of()).iterator();
            }

            String next() {
                return targets.hasNext() ? targets.next() : null;
            }
        }
    }
}
