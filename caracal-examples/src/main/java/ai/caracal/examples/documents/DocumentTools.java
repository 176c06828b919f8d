package ai.caracal.examples.documents;

import ai.caracal.mcp.CaracalMcp;
import ai.caracal.verify.AuthError;
import ai.caracal.verify.ClaimNames;
import ai.caracal.verify.Claims;
import ai.caracal.verify.ErrorCode;
import ai.caracal.verify.Requirements;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three tools of {@code documents-mcp}: the seeds' {@code search} and {@code get_document}, plus
 * {@code whoami}, which shows how a tool reads the verified claims. Every tool answers with its JSON
 * result as text content; object results are also sent as {@code structuredContent}.
 */
final class DocumentTools {

    private final McpJsonMapper json;
    private final Requirements getDocument;

    /** @param getDocument what {@code get_document}'s guard checks in the tool */
    DocumentTools(McpJsonMapper json, Requirements getDocument) {
        this.json = json;
        this.getDocument = getDocument;
    }

    List<SyncToolSpecification> all() {
        return List.of(search(), getDocument(), whoami());
    }

    /** {@code search(query)} → {@code [{"id":"1","title":"Result for: <query>"}]}. */
    SyncToolSpecification search() {
        return SyncToolSpecification.builder()
                .tool(tool("search", "Search the documents.", Map.of("query", Map.of("type", "string")), List.of("query")))
                .callHandler((exchange, request) -> {
                    Map<String, Object> hit = new LinkedHashMap<>();
                    hit.put("id", "1");
                    hit.put("title", "Result for: " + argument(request, "query"));
                    return CallToolResult.builder().addTextContent(write(List.of(hit))).build();
                })
                .build();
    }

    /**
     * {@code get_document(doc_id)} → {@code {"id":<doc_id>,"content":"Document content here"}}, only for
     * mandates that also meet its requirements (checked here too when the boundary checks them first).
     */
    SyncToolSpecification getDocument() {
        return SyncToolSpecification.builder()
                .tool(tool("get_document", "Read one document. Needs a delegated mandate through app_orchestrator, at most 2 hops.",
                        Map.of("doc_id", Map.of("type", "string")), List.of("doc_id")))
                .callHandler(CaracalMcp.guard(getDocument, (exchange, request, claims) -> {
                    Map<String, Object> document = new LinkedHashMap<>();
                    document.put("id", argument(request, "doc_id"));
                    document.put("content", "Document content here");
                    return objectResult(document);
                }))
                .build();
    }

    /** {@code whoami()} → {@code {"sub":…,"zone_id":…,"client_id":…,"scope":…}} of the verified claims. */
    SyncToolSpecification whoami() {
        return SyncToolSpecification.builder()
                .tool(tool("whoami", "The verified mandate's subject, zone, client and scope.", Map.of(), List.of()))
                .callHandler((exchange, request) -> CaracalMcp.claims(exchange)
                        .map(claims -> objectResult(identity(claims)))
                        .orElseGet(() -> CaracalMcp.errorResult(AuthError.of(ErrorCode.MISSING_TOKEN))))
                .build();
    }

    private static Map<String, Object> identity(Claims claims) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put(ClaimNames.SUB, claims.sub());
        identity.put(ClaimNames.ZONE_ID, claims.zoneId());
        identity.put(ClaimNames.CLIENT_ID, claims.clientId());
        identity.put(ClaimNames.SCOPE, claims.scope());
        return identity;
    }

    private CallToolResult objectResult(Map<String, Object> result) {
        return CallToolResult.builder().addTextContent(write(result)).structuredContent(result).build();
    }

    private static Object argument(CallToolRequest request, String name) {
        return request.arguments() == null ? null : request.arguments().get(name);
    }

    private static Tool tool(String name, String description, Map<String, Object> properties, List<String> required) {
        return Tool.builder()
                .name(name)
                .description(description)
                .inputSchema(JsonSchema.builder().type("object").properties(properties).required(required).build())
                .build();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
