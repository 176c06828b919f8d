/**
 * The {@code caracal} command line: {@code verify} and {@code inspect} mandates from a terminal or a
 * script, and {@code serve} the protected {@code documents-mcp} example server. Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error, 3 mandate
 * rejected (or, for {@code inspect --verify-signature}, signature invalid). Tokens are never printed
 * or logged by these commands.
 */
package ai.caracal.cli;
