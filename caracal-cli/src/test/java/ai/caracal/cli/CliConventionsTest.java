package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * devtools.md §3: one flag vocabulary across commands (--issuer/--sts, --audience/--aud, --output), and
 * help text that picocli never wraps in the middle of an example command.
 */
class CliConventionsTest {

    /** Options that name the same thing: a command with one spelling accepts the others. */
    private static final List<Set<String>> ALIASES = List.of(
            Set.of("--issuer", "--sts"), Set.of("--audience", "--aud"));

    static Stream<CommandLine> commands() {
        CommandLine root = new CommandLine(new Caracal(Map.of(), InputStream.nullInputStream()));
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        root.getSubcommands().values().stream().filter(command -> !command.getCommandName().equals("help"))
                .forEach(all::add);
        return all.stream();
    }

    @ParameterizedTest(name = "caracal {0}")
    @MethodSource("commands")
    @DisplayName("an option with one spelling of a shared name accepts every spelling; formats are chosen with --output")
    void sharedOptionsAcceptEverySpelling(CommandLine command) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            Set<String> names = Set.of(option.names());
            for (Set<String> aliases : ALIASES) {
                if (names.stream().anyMatch(aliases::contains)) {
                    assertThat(names).as("%s of caracal %s", option.longestName(), command.getCommandName())
                            .containsAll(aliases);
                }
            }
            if (names.contains("--format")) {
                assertThat(names).as("--format is only an alias of --output").contains("--output");
            }
        }
    }

    @ParameterizedTest(name = "caracal {0} --help")
    @MethodSource("commands")
    @DisplayName("the help fits 80 columns and every example line is one unbroken command line")
    void helpIsNotWrappedInsideExamples(CommandLine command) {
        for (String line : command.getCommandSpec().usageMessage().footer()) {
            if (line.startsWith(" ")) {
                assertThat(line.length()).as("pre-formatted footer line (picocli would wrap it): %s", line)
                        .isLessThanOrEqualTo(80);
            }
        }
        String help = command.getUsageMessage();
        List<String> lines = help.lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        boolean inExamples = false;
        for (String line : lines) {
            if (line.equals("Example:") || line.equals("Examples:")) {
                inExamples = true;
            } else if (line.isBlank()) {
                inExamples = false;
            } else if (inExamples) {
                assertThat(line).as("an example line starts indented (a wrapped command would not)").startsWith("  ");
            }
        }
    }

    @Test
    @DisplayName("the root help documents the shared vocabulary once")
    void rootHelpDocumentsTheVocabulary() {
        CliRun run = CliRun.run("--help");

        assertThat(run.out()).contains("--issuer, --sts URL", "--audience, --aud AUDIENCE", "--output FORMAT");
    }
}
