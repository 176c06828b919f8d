/**
 * The {@code documents-mcp} example: {@link ai.caracal.examples.documents.DocumentsMcpServer}, an MCP
 * Java SDK server on embedded Jetty 12 whose {@code /mcp} endpoint is protected by
 * {@link ai.caracal.servlet.CaracalFilter}, with the tools {@code search}, {@code get_document} (per-tool
 * requirements through {@link ai.caracal.mcp.CaracalMcp#guard}) and {@code whoami}. {@code caracal serve}
 * runs it.
 */
package ai.caracal.examples.documents;
