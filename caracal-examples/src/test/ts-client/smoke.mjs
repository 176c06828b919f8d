// Smoke test of documents-mcp with the official MCP TypeScript SDK client (run by TypeScriptClientTest).
// Usage: MCP_MANDATE=<mandate> node smoke.mjs <mcp-url>. Prints one JSON object on stdout; the mandate is never printed.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const mcpUrl = process.argv[2];
const mandate = process.env.MCP_MANDATE;
const out = {};

// 1. Connect without a token: the boundary answers 401 with an RFC 6750 challenge naming the metadata.
let challenge = null;
const recordingFetch = async (input, init) => {
  const response = await fetch(input, init);
  if (challenge === null && (response.status === 401 || response.status === 403)) {
    challenge = { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body: await response.clone().json() };
  }
  return response;
};
try {
  const anonymous = new Client({ name: 'caracal-ts-smoke', version: '1.0.0' });
  await anonymous.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { fetch: recordingFetch }));
  out.unauthenticated = { connected: true };
  await anonymous.close();
} catch (error) {
  out.unauthenticated = { connected: false, errorType: error.constructor.name, ...challenge };
}

// 2. Fetch the RFC 9728 document the challenge points to.
const match = /resource_metadata="([^"]+)"/.exec(challenge?.wwwAuthenticate ?? '');
if (match) {
  const response = await fetch(match[1]);
  out.metadata = { url: match[1], status: response.status, document: await response.json() };
}

// 3. Connect with the mandate and call a tool.
const client = new Client({ name: 'caracal-ts-smoke', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), {
  requestInit: { headers: { Authorization: `Bearer ${mandate}` } },
}));
out.tools = (await client.listTools()).tools.map((tool) => tool.name);
out.search = await client.callTool({ name: 'search', arguments: { query: 'from typescript' } });
await client.close();

console.log(JSON.stringify(out));
