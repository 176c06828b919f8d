// Step-up with the official MCP TypeScript SDK client (run by TypeScriptClientTest): the SDK's own
// authorization path acts on documents-mcp's 403 challenge (connectors.md §10.2 M9).
// Usage: MCP_MANDATE=<mandate> node stepup.mjs <mcp-url>. Prints one JSON object on stdout; no mandate is printed.
//
// The client starts with a mandate lacking documents:read. Calling get_document gets HTTP 403 with
// WWW-Authenticate: Bearer error="insufficient_scope", scope="…", resource_metadata="…". The SDK then runs
// auth(): it reads the RFC 9728 document, the authorization server's metadata, and asks its token endpoint
// for a new token (client_credentials), then retries the call with it.
//
// SDK 1.32.2 passes the challenged scope to authorization requests and client registration, but a
// non-interactive provider's prepareTokenRequest() receives clientMetadata.scope instead; so this provider
// asks for the scope of the last challenge, which the fetch wrapper below records as the SDK receives it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const mcpUrl = process.argv[2];
const out = { challenges: [], tokenRequests: [] };

let challengedScope;
const recordingFetch = async (input, init) => {
  const response = await fetch(input, init);
  const challenge = response.headers.get('www-authenticate');
  if (response.status === 403 && challenge) {
    out.challenges.push({ status: response.status, wwwAuthenticate: challenge, body: await response.clone().json() });
    challengedScope = /scope="([^"]*)"/.exec(challenge)?.[1];
  }
  return response;
};

class ChallengedScopeProvider {
  constructor(mandate) {
    this._tokens = { access_token: mandate, token_type: 'Bearer' };
  }
  get redirectUrl() {
    return undefined;
  }
  get clientMetadata() {
    return { client_name: 'caracal-ts-stepup', redirect_uris: [], grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return { client_id: 'caracal-ts-stepup' };
  }
  tokens() {
    return this._tokens;
  }
  saveTokens(tokens) {
    this._tokens = tokens;
  }
  redirectToAuthorization() {
    throw new Error('no interactive authorization in this test');
  }
  saveCodeVerifier() {}
  codeVerifier() {
    throw new Error('no authorization code in this test');
  }
  prepareTokenRequest() {
    out.tokenRequests.push(challengedScope ?? null);
    const params = new URLSearchParams({ grant_type: 'client_credentials' });
    if (challengedScope) {
      params.set('scope', challengedScope);
    }
    return params;
  }
}

const client = new Client({ name: 'caracal-ts-stepup', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), {
  authProvider: new ChallengedScopeProvider(process.env.MCP_MANDATE),
  fetch: recordingFetch,
}));
out.toolsBefore = (await client.listTools()).tools.map((tool) => tool.name);
out.document = await client.callTool({ name: 'get_document', arguments: { doc_id: 'doc-ts' } });
out.toolsAfter = (await client.listTools()).tools.map((tool) => tool.name);
await client.close();

console.log(JSON.stringify(out));
