package ai.caracal.examples.jpms;

import ai.caracal.jdkhttp.CaracalHttpFilter;
import ai.caracal.revocation.InMemoryRevocationStore;
import ai.caracal.verify.Claims;
import ai.caracal.verify.MandateVerifier;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves {@code GET /whoami} behind {@link CaracalHttpFilter} on a loopback port. Arguments: issuer URL,
 * zone, audience. Prints one line, {@code listening <url> <module of MandateVerifier> <module of CaracalHttpFilter>}, and stops when its
 * standard input closes.
 */
public final class ProtectedApp {

    private ProtectedApp() {
    }

    /**
     * Runs the application.
     *
     * @param args issuer URL, zone ID, audience
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        MandateVerifier verifier = MandateVerifier.builder()
                .issuer(args[0]).zoneId(args[1]).audience(args[2])
                .revocations(new InMemoryRevocationStore())
                .build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpContext whoami = server.createContext("/whoami", exchange -> {
            Claims claims = CaracalHttpFilter.claims(exchange).orElseThrow();
            byte[] body = claims.sub().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        whoami.getFilters().add(CaracalHttpFilter.builder().verifier(verifier).build());
        server.start();
        System.out.println("listening http://127.0.0.1:" + server.getAddress().getPort() + " "
                + describe(MandateVerifier.class.getModule()) + " " + describe(CaracalHttpFilter.class.getModule()));
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the parent closes standard input
        }
        server.stop(0);
    }

    private static String describe(Module module) {
        return module.getName() + (module.getDescriptor() != null && module.getDescriptor().isAutomatic() ? "(automatic)" : "");
    }
}
