package ai.caracal.mcp;

import ai.caracal.verify.Requirements;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an MCP operation demands of the caller's mandate on top of the boundary rule (connectors.md §10.2
 * M9): requirements per JSON-RPC method and per tool, resource or prompt name, checked by
 * {@link McpBoundary} (servlet) or {@link McpWebFilter} (WebFlux) before the transport sees the request.
 *
 * <pre>{@code
 * McpPolicy policy = McpPolicy.builder()
 *     .tool("get_document", Requirements.builder().requiredScopes("documents:read")
 *         .requireDelegation(true).requireChainContains("app_orchestrator").maxHopCount(2).build())
 *     .method("resources/read", Requirements.builder().requiredScopes("resources:read").build())
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>A {@code tools/call} is subject to the {@code tools/call} method rule and to the rule of the tool
 *       it names ({@code params.name}); {@code prompts/get} likewise with prompt rules;
 *       {@code resources/read}, {@code resources/subscribe} and {@code resources/unsubscribe} with the
 *       rule of the resource URI ({@code params.uri}). Every applicable rule must be met; rules never
 *       replace the boundary rule, they add to it.</li>
 *   <li>Listings ({@code tools/list}, {@code resources/list}, {@code prompts/list}) keep only the items
 *       whose call ({@code tools/call}, {@code resources/read}, {@code prompts/get}) the caller's mandate
 *       would pass (M10).</li>
 *   <li>Names match exactly, case-sensitively. An operation without rules has no demands beyond the
 *       boundary.</li>
 * </ul>
 *
 * <p>Scopes are compared with the verifier's {@link ai.caracal.verify.ScopeHierarchy} (M11). Immutable
 * and thread-safe.
 */
public final class McpPolicy {

    private final Map<String, Requirements> methods;
    private final Map<String, Requirements> tools;
    private final Map<String, Requirements> resources;
    private final Map<String, Requirements> prompts;

    private McpPolicy(Builder builder) {
        this.methods = Collections.unmodifiableMap(new LinkedHashMap<>(builder.methods));
        this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(builder.tools));
        this.resources = Collections.unmodifiableMap(new LinkedHashMap<>(builder.resources));
        this.prompts = Collections.unmodifiableMap(new LinkedHashMap<>(builder.prompts));
    }

    /** @return a builder with no rules */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param method the JSON-RPC method, for example {@code tools/call}; never {@code null}
     * @param name   the tool or prompt name ({@code params.name}) or resource URI ({@code params.uri}) the
     *               request names, or {@code null} when it names none
     * @return every rule the operation is subject to, the method rule first; empty when none
     */
    public List<Requirements> requirementsFor(String method, String name) {
        Objects.requireNonNull(method, "method");
        List<Requirements> applicable = new ArrayList<>(2);
        Requirements byMethod = methods.get(method);
        if (byMethod != null) {
            applicable.add(byMethod);
        }
        Map<String, Requirements> byName = namesOf(method);
        if (name != null && byName != null) {
            Requirements named = byName.get(name);
            if (named != null) {
                applicable.add(named);
            }
        }
        return applicable;
    }

    /**
     * @param listMethod {@code tools/list}, {@code resources/list} or {@code prompts/list}
     * @return the method whose rules decide whether a listed item is shown, or {@code null} for another method
     */
    static String callOf(String listMethod) {
        switch (listMethod) {
            case "tools/list":
                return "tools/call";
            case "resources/list":
                return "resources/read";
            case "prompts/list":
                return "prompts/get";
            default:
                return null;
        }
    }

    /**
     * @return the member of {@code params} that names what {@code method} acts on ({@code name} or
     *         {@code uri}), or {@code null} when the method names nothing
     */
    static String nameMember(String method) {
        switch (method) {
            case "tools/call":
            case "prompts/get":
                return "name";
            case "resources/read":
            case "resources/subscribe":
            case "resources/unsubscribe":
                return "uri";
            default:
                return null;
        }
    }

    /** @return the member of a listed item that names it: {@code name}, or {@code uri} for resources */
    static String itemNameMember(String listMethod) {
        return "resources/list".equals(listMethod) ? "uri" : "name";
    }

    /** @return whether the policy has rules for the items of this listing, so that it needs filtering */
    boolean filters(String listMethod) {
        String call = callOf(listMethod);
        if (call == null) {
            return false;
        }
        Map<String, Requirements> byName = namesOf(call);
        return methods.containsKey(call) || (byName != null && !byName.isEmpty());
    }

    private Map<String, Requirements> namesOf(String method) {
        switch (method) {
            case "tools/call":
                return tools;
            case "prompts/get":
                return prompts;
            case "resources/read":
            case "resources/subscribe":
            case "resources/unsubscribe":
                return resources;
            default:
                return null;
        }
    }

    @Override
    public String toString() {
        return "McpPolicy[methods=" + methods.keySet() + ", tools=" + tools.keySet() + ", resources=" + resources.keySet()
                + ", prompts=" + prompts.keySet() + "]";
    }

    /** Builder for {@link McpPolicy}. Each name takes one rule; setters reject {@code null}. Not thread-safe. */
    public static final class Builder {

        private final Map<String, Requirements> methods = new LinkedHashMap<>();
        private final Map<String, Requirements> tools = new LinkedHashMap<>();
        private final Map<String, Requirements> resources = new LinkedHashMap<>();
        private final Map<String, Requirements> prompts = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param method       a JSON-RPC method, for example {@code tools/call} or {@code resources/read}
         * @param requirements what every request with that method demands
         * @return this builder
         * @throws IllegalArgumentException for a blank method, or one configured twice
         */
        public Builder method(String method, Requirements requirements) {
            return put(methods, "method", method, requirements);
        }

        /**
         * @param name         a tool name, as in {@code tools/call}'s {@code params.name}
         * @param requirements what calling it demands; also decides whether {@code tools/list} shows it
         * @return this builder
         * @throws IllegalArgumentException for a blank name, or one configured twice
         */
        public Builder tool(String name, Requirements requirements) {
            return put(tools, "tool", name, requirements);
        }

        /**
         * @param uri          a resource URI, as in {@code resources/read}'s {@code params.uri}
         * @param requirements what reading (or subscribing to) it demands; also decides whether
         *                     {@code resources/list} shows it
         * @return this builder
         * @throws IllegalArgumentException for a blank URI, or one configured twice
         */
        public Builder resource(String uri, Requirements requirements) {
            return put(resources, "resource", uri, requirements);
        }

        /**
         * @param name         a prompt name, as in {@code prompts/get}'s {@code params.name}
         * @param requirements what getting it demands; also decides whether {@code prompts/list} shows it
         * @return this builder
         * @throws IllegalArgumentException for a blank name, or one configured twice
         */
        public Builder prompt(String name, Requirements requirements) {
            return put(prompts, "prompt", name, requirements);
        }

        /** @return the policy */
        public McpPolicy build() {
            return new McpPolicy(this);
        }

        private Builder put(Map<String, Requirements> rules, String kind, String name, Requirements requirements) {
            Objects.requireNonNull(name, kind);
            Objects.requireNonNull(requirements, "requirements");
            if (name.isBlank()) {
                throw new IllegalArgumentException(kind + " must not be blank");
            }
            if (rules.putIfAbsent(name, requirements) != null) {
                throw new IllegalArgumentException(kind + " " + name + " is configured twice");
            }
            return this;
        }
    }
}
