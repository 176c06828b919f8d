package ai.caracal.verify.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The served form of {@link ProtectedResourceMetadata}: the document (with the issuer and scopes of
 * the connector it belongs to filled in) and the responses for its path. Obtain it from a connector
 * ({@code CaracalFilter.metadata()}, {@link HttpBoundary#metadataEndpoint()}) to serve the document from
 * a separate servlet or handler when the connector itself is mapped narrowly. Immutable.
 */
public final class ResourceMetadataEndpoint {

    private final ProtectedResourceMetadata metadata;
    private final byte[] document;

    ResourceMetadataEndpoint(ProtectedResourceMetadata metadata, byte[] document) {
        this.metadata = metadata;
        this.document = document;
    }

    /** @return the configuration this document was made from */
    public ProtectedResourceMetadata metadata() {
        return metadata;
    }

    /** @return the path the document is served at, for example {@code /.well-known/oauth-protected-resource/mcp} */
    public String documentPath() {
        return metadata.documentPath();
    }

    /**
     * @param method the request method
     * @return 200 with the JSON document ({@code Cache-Control: public, max-age=300}) for {@code GET}
     *         and {@code HEAD} (no body), otherwise 405 with {@code Allow: GET, HEAD}
     */
    public BoundaryResponse response(String method) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            headers.put("Allow", "GET, HEAD");
            return new BoundaryResponse(405, headers, new byte[0], false);
        }
        headers.put("Content-Type", HttpBoundary.APPLICATION_JSON);
        headers.put("Cache-Control", "public, max-age=300");
        return new BoundaryResponse(200, headers, document, method.equals("GET"));
    }
}
