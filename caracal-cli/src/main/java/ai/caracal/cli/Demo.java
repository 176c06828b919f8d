package ai.caracal.cli;

import ai.caracal.devsts.DevSts;
import ai.caracal.examples.documents.DocumentsMcpServer;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * The demo (devtools.md §4.1), all in this process: a dev STS on loopback, the {@code documents-mcp}
 * server as {@code caracal serve} builds it twice (its JWKS fetched from the dev STS over HTTP), once with
 * {@code get_document}'s requirements checked in the tool ({@code --tool-checks in-tool}, rows D1–D15, D27) and
 * once at the boundary (the default, rows D19–D26), sharing one revocation store, then the validation
 * table run row by row through the MCP Java SDK client.
 */
final class Demo {

    /**
     * What to run.
     *
     * @param zone        the zone of the dev STS, the server and every mandate
     * @param audience    the server's audience
     * @param stsPort     the dev STS port, 0 for any
     * @param mcpPort     the port of the MCP server with in-tool checks, 0 for any (the boundary-form server
     *                    takes any free port)
     * @param json        JSON output instead of the table
     * @param redisUrl    the Redis to revoke through, or {@code null} for the in-memory store
     * @param keepRunning keep both servers up after the table, until Ctrl-C or an interrupt
     * @param server      applied last to the server's builder: the identity, except in tests that
     *                    need a differently configured server to see a row fail
     */
    record Settings(String zone, String audience, int stsPort, int mcpPort, boolean json, String redisUrl,
            boolean keepRunning, UnaryOperator<DocumentsMcpServer.Builder> server) {
    }

    private Demo() {
    }

    /**
     * @return {@link Caracal#OK} when every row passed, {@link Caracal#REJECTED} otherwise
     * @throws IllegalStateException when Redis does not answer (a runtime failure, exit 1)
     * @throws java.io.UncheckedIOException when a port cannot be bound
     */
    static int run(Settings settings, PrintWriter out, PrintWriter err) throws InterruptedException {
        try (DemoRevocations revocations = settings.redisUrl() == null ? DemoRevocations.inMemory()
                        : DemoRevocations.redis(settings.redisUrl(), settings.zone());
                DevSts sts = revocations.attachTo(DevSts.builder().port(settings.stsPort()).zones(settings.zone())).start();
                DocumentsMcpServer server = settings.server().apply(serverBuilder(settings, sts, revocations)
                                .port(settings.mcpPort())
                                .toolChecks(DocumentsMcpServer.ToolChecks.IN_TOOL))
                        .build()
                        .start();
                DocumentsMcpServer boundaryForm = settings.server().apply(serverBuilder(settings, sts, revocations)
                                .port(0)
                                .toolChecks(DocumentsMcpServer.ToolChecks.BOUNDARY))
                        .build()
                        .start()) {
            long stored = revocations.epoch(settings.zone());
            if (stored > 0) {
                // A zone reused on a shared Redis: the dev STS's epoch starts at 0 in memory, and its
                // delegated mandates (stamped with it, 0 included) would be stale at once.
                sts.invalidateDelegations(settings.zone(), stored);
            }
            DemoRows rows = new DemoRows(sts, revocations, new McpProbe(server.mcpUrl()), new McpProbe(boundaryForm.mcpUrl()),
                    settings.zone(), settings.audience(), Clock.systemUTC(), err, server::notifyToolsListChanged);
            List<DemoReport.Result> results = new ArrayList<>();
            for (DemoCase row : DemoCase.values()) {
                results.add(new DemoReport.Result(row, rows.run(row)));
            }
            DemoReport report = new DemoReport(sts.url(), server.mcpUrl().toString(), boundaryForm.mcpUrl().toString(),
                    settings.zone(), revocations.label(), results);
            out.print(settings.json() ? report.json() : report.table());
            out.flush();
            if (settings.keepRunning()) {
                printExports(sts, server, settings.zone(), out);
                awaitCtrlC(() -> {
                    boundaryForm.close();
                    server.close();
                    sts.close();
                    revocations.close();
                });
            }
            return report.allPassed() ? Caracal.OK : Caracal.REJECTED;
        }
    }

    /** The server as {@code serve} builds it, sharing the dev STS's keys and the demo's store. */
    private static DocumentsMcpServer.Builder serverBuilder(Settings settings, DevSts sts, DemoRevocations revocations) {
        return DocumentsMcpServer.builder()
                .issuer(sts.issuer())
                .zoneId(settings.zone())
                .audience(settings.audience())
                .requiredScopes(DocumentsMcpServer.DEFAULT_SCOPE)
                .requireAgent(true)
                .revocations(revocations.store());
    }

    private static void printExports(DevSts sts, DocumentsMcpServer server, String zone, PrintWriter out) {
        out.println("export CARACAL_STS_URL=" + sts.issuer());
        out.println("export CARACAL_ZONE_ID=" + zone);
        out.println("# both servers keep running (MCP endpoint " + server.mcpUrl() + "); Ctrl-C stops them");
        out.flush();
    }

    /**
     * Returns on Ctrl-C (SIGINT/SIGTERM), after {@code stop} ran in the shutdown hook, or when this thread
     * is interrupted. The interrupt is the stop request, so it is consumed here: the caller goes on to
     * close everything normally.
     */
    private static void awaitCtrlC(Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                stop.run();
            } finally {
                stopped.countDown();
            }
        }, "caracal-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException stopRequested) {
            // Stopping is what the interrupt asks for.
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: the JVM is stopping anyway.
            }
        }
    }
}
