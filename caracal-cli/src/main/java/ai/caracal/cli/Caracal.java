package ai.caracal.cli;

import ai.caracal.verify.CaracalEnvironment;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code caracal} command. Sub-commands reach the environment, standard input and the verbose
 * flag through this object, so tests can run the whole command in-process.
 */
@Command(name = "caracal",
        mixinStandardHelpOptions = true,
        versionProvider = Caracal.Version.class,
        description = "Caracal for Java: run the end-to-end demo, verify, inspect, mint and revoke mandates (ES256 JWTs"
                + " minted by a zone's STS), run a development issuer, and serve protected example servers.",
        subcommands = {DemoCommand.class, DevStsCommand.class, MintCommand.class, VerifyCommand.class, RevokeCommand.class, InspectCommand.class,
            ServeCommand.class, ExampleCommand.class, CommandLine.HelpCommand.class},
        footer = {"",
            "Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error,",
            "            3 mandate rejected (demo: a row failed).",
            "",
            "One vocabulary across commands (both spellings work wherever the option exists):",
            "  --issuer, --sts URL          STS base URL (default: env CARACAL_STS_URL)",
            "  --audience, --aud AUDIENCE   the resource server's audience",
            "  --zone ZONE                  zone (default: env CARACAL_ZONE_ID)",
            "  --output FORMAT              text (demo: table) or json",
            "",
            "Run 'caracal <command> --help' for a command's options."})
public final class Caracal {

    /** Success. */
    static final int OK = 0;
    /** Runtime failure: I/O, unreachable service, undecodable input. */
    static final int FAILURE = 1;
    /** Usage or configuration error. */
    static final int USAGE = 2;
    /** The mandate was rejected (or its signature is invalid, or a demo row failed). */
    static final int REJECTED = 3;

    private final Map<String, String> environment;
    private final InputStream stdin;
    private boolean verbose;

    Caracal(Map<String, String> environment, InputStream stdin) {
        this.environment = environment;
        this.stdin = stdin;
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log Caracal's debug details, such as why each mandate is rejected (never tokens),"
                    + " and print stack traces of failures.")
    void verbose(boolean verbose) {
        this.verbose = verbose;
        CliLogging.verbose(verbose);
    }

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), System.in, out, err));
    }

    static int run(String[] args, Map<String, String> environment, InputStream stdin, PrintWriter out, PrintWriter err) {
        CliLogging.install();
        Caracal root = new Caracal(environment, stdin);
        CommandLine commandLine = new CommandLine(root)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, arguments) -> {
                    e.getCommandLine().getErr().println("caracal: " + e.getMessage());
                    e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName()
                            + " --help' for more information.");
                    return USAGE;
                })
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("caracal: " + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
                    if (root.verbose) {
                        e.printStackTrace(command.getErr());
                    }
                    return FAILURE;
                });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * @param name an environment variable
     * @return its value, or empty when unset or blank
     */
    Optional<String> env(String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }

    /**
     * @param name an environment variable
     * @return its value, or {@code null} when unset or blank (for code that takes {@code System::getenv})
     */
    String envOrNull(String name) {
        return env(name).orElse(null);
    }

    /**
     * @return {@code CARACAL_STS_URL} and {@code CARACAL_ZONE_ID} of this run's environment, read and
     *         spelled the way every connector reads them; flags win through
     *         {@link CaracalEnvironment#issuer(String)} and {@link CaracalEnvironment#zoneId(String)}
     */
    CaracalEnvironment defaults() {
        return CaracalEnvironment.read(this::envOrNull);
    }

    InputStream stdin() {
        return stdin;
    }

    /** The version from the jar manifest ({@code dev} when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Caracal.class.getPackage().getImplementationVersion();
            return new String[] {"caracal " + (version == null ? "dev" : version)};
        }
    }
}
