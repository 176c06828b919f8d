package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CaracalCommandTest {

    @Test
    @DisplayName("an unknown flag is a usage error: exit 2, a one-line message and a pointer to --help")
    void unknownFlagIsUsageError() {
        CliRun run = CliRun.run("verify", "--no-such-flag");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("caracal: ").contains("--help").doesNotContain("at ai.caracal");
    }

    @Test
    @DisplayName("--help lists the commands and the exit codes")
    void helpListsCommands() {
        CliRun run = CliRun.run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("verify", "inspect", "Exit codes");
    }
}
