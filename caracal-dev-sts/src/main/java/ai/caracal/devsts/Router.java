package ai.caracal.devsts;

import ai.caracal.mint.Es256Key;
import ai.caracal.revocation.RevocationStoreException;
import ai.caracal.verify.ClaimNames;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint table of devtools.md §1.3 on one {@link HttpHandler}: a {@code Host} that does not name
 * this dev STS is refused first (421, D16), then the path picks the endpoint (unknown → 404), then the
 * method is checked (wrong → 405 with {@code Allow}), then the body. Every
 * answer is JSON. Each request is reported to the request log as {@code METHOD path status}, never with
 * a body, a query or a token. Thread-safe.
 */
final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final String JWKS_CACHE_CONTROL = "public, max-age=300, must-revalidate";
    private static final String ROTATE_PREFIX = "/dev/zones/";
    private static final String ROTATE_SUFFIX = "/rotate";

    private final DevSts sts;
    private final Consumer<String> requestLog;
    private final HostCheck hosts;

    Router(DevSts sts, Consumer<String> requestLog, HostCheck hosts) {
        this.sts = sts;
        this.requestLog = requestLog;
        this.hosts = hosts;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        int status;
        try (exchange) {
            try {
                if (!hosts.allows(exchange.getRequestHeaders().get("Host"))) {
                    throw HttpError.misdirected();
                }
                status = dispatch(exchange, method, path);
            } catch (HttpError e) {
                status = answer(exchange, e);
            } catch (InvalidRequestException e) {
                status = answer(exchange, HttpError.badRequest(e.getMessage()));
            } catch (RevocationStoreException e) {
                LOG.warn("{} {}: {}", method, path, e.getMessage());
                status = answer(exchange, HttpError.unavailable(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed", method, path, e);
                status = answer(exchange, HttpError.serverError());
            }
        }
        requestLog.accept(method + " " + path + " " + status);
    }

    private static int answer(HttpExchange exchange, HttpError error) throws IOException {
        Exchanges.sendError(exchange, error);
        return error.status();
    }

    private int dispatch(HttpExchange exchange, String method, String path) throws IOException {
        switch (path) {
            case "/.well-known/jwks.json":
                allow(method, "GET");
                return jwks(exchange);
            case "/dev/mint":
                allow(method, "POST");
                return ok(exchange, ResponseBodies.mint(sts.mint(RequestParsers.mint(Exchanges.readJsonObject(exchange)))));
            case "/dev/revoke":
                allow(method, "POST");
                return ok(exchange, ResponseBodies.revoke(sts.revoke(RequestParsers.revoke(Exchanges.readJsonObject(exchange)))));
            case "/dev/delegations/invalidate": {
                allow(method, "POST");
                RequestParsers.Invalidation request = RequestParsers.invalidation(Exchanges.readJsonObject(exchange));
                String zone = request.zoneId() == null ? sts.defaultZone() : request.zoneId();
                return ok(exchange, ResponseBodies.invalidate(sts.invalidateDelegations(zone, request.epoch())));
            }
            case "/dev/zones":
                allow(method, "GET");
                return ok(exchange, ResponseBodies.zones(sts.zones()));
            case "/health":
                allow(method, "GET");
                return ok(exchange, ResponseBodies.health());
            default:
                String zone = rotateZone(path);
                if (zone == null) {
                    throw HttpError.notFound("no endpoint at this path");
                }
                allow(method, "POST");
                return ok(exchange, ResponseBodies.rotate(sts.rotate(ZoneIds.check(zone, "zone"))));
        }
    }

    private int jwks(HttpExchange exchange) throws IOException {
        String zone = Exchanges.query(exchange).get(ClaimNames.ZONE_ID);
        if (zone == null || zone.isEmpty()) {
            throw HttpError.badRequest("zone_id query parameter is required");
        }
        List<Es256Key> keys = sts.publishedKeys(zone);
        if (keys.isEmpty()) {
            throw HttpError.notFound("zone has no keys");
        }
        Exchanges.send(exchange, 200, ResponseBodies.jwks(keys), JWKS_CACHE_CONTROL);
        return 200;
    }

    private static int ok(HttpExchange exchange, Map<String, Object> body) throws IOException {
        Exchanges.send(exchange, 200, body);
        return 200;
    }

    private static void allow(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw HttpError.methodNotAllowed(allowed);
        }
    }

    /** @return the decoded zone of {@code /dev/zones/{zone}/rotate}, or {@code null} for any other path */
    private static String rotateZone(String rawPath) {
        if (!rawPath.startsWith(ROTATE_PREFIX) || !rawPath.endsWith(ROTATE_SUFFIX)
                || rawPath.length() <= ROTATE_PREFIX.length() + ROTATE_SUFFIX.length()) {
            return null;
        }
        String segment = rawPath.substring(ROTATE_PREFIX.length(), rawPath.length() - ROTATE_SUFFIX.length());
        return segment.contains("/") ? null : ZoneIds.percentDecode(segment);
    }
}
