/**
 * MCP Java SDK integration: {@link ai.caracal.mcp.CaracalMcp#contextExtractor()} carries the claims
 * that {@link ai.caracal.servlet.CaracalFilter} verified into the SDK's transport context,
 * {@link ai.caracal.mcp.CaracalMcp#claims(io.modelcontextprotocol.server.McpSyncServerExchange)} reads
 * them in tool handlers, {@link ai.caracal.mcp.CaracalMcp#guard} adds per-tool requirements, and
 * {@link ai.caracal.mcp.McpBoundary} keeps each session to the principal that created it.
 */
package ai.caracal.mcp;
