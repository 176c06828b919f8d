package ai.caracal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every {@code ./caracal ...} command in README.md's code blocks parses: its command exists and every
 * option it uses is one that command takes, with a value it accepts. A renamed flag fails here before a
 * newcomer copies the README.
 */
class ReadmeCommandsTest {

    static List<String> readmeCommands() throws IOException {
        Path readme = Path.of("..", "README.md");
        List<String> commands = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder continued = new StringBuilder();
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) {
                continue;
            }
            if (line.endsWith("\\")) {
                continued.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String full = continued.append(line).toString();
            continued.setLength(0);
            int at = full.indexOf("./caracal ");
            while (at >= 0) {
                commands.add(commandAt(full, at + "./caracal ".length()));
                at = full.indexOf("./caracal ", at + 1);
            }
        }
        return commands;
    }

    /** The command's words: up to a pipe, a closing command substitution or a comment, outside quotes. */
    private static String commandAt(String line, int start) {
        char quote = 0;
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '|' || c == ')' || c == '#' || c == ';' || c == '&') {
                return line.substring(start, i).strip();
            }
        }
        return line.substring(start).strip();
    }

    static String[] words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words.toArray(String[]::new);
    }

    @Test
    @DisplayName("README.md shows the commands a newcomer needs")
    void readmeHasTheCommands() throws IOException {
        List<String> commands = readmeCommands();
        assertThat(commands).anyMatch(command -> command.startsWith("demo"))
                .anyMatch(command -> command.startsWith("mint") && command.contains("--delegation-edge new"))
                .anyMatch(command -> command.startsWith("mint") && command.contains("resource://examples"))
                .anyMatch(command -> command.startsWith("example "));
    }

    static Stream<String> commands() throws IOException {
        return readmeCommands().stream();
    }

    @ParameterizedTest(name = "./caracal {0}")
    @MethodSource("commands")
    @DisplayName("the README command parses")
    void readmeCommandParses(String command) {
        CommandLine commandLine = new CommandLine(new Caracal(Map.of(), InputStream.nullInputStream()));
        assertThatCode(() -> commandLine.parseArgs(words(command))).doesNotThrowAnyException();
    }
}
