package ai.caracal.revocation.redis;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Records every command a {@link io.lettuce.core.RedisClient} sends, as {@code TYPE arg arg ...}. */
final class RecordedCommands implements CommandListener {

    /** Lettuce renders arguments as {@code key<name>} and {@code value<text>}; tests compare plain words. */
    private static final Pattern UNWRAP = Pattern.compile("\\b(key|value)<([^<>]*)>");

    private final List<String> commands = new CopyOnWriteArrayList<>();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        var command = event.getCommand();
        String args = command.getArgs() == null ? "" : " " + command.getArgs().toCommandString();
        commands.add(command.getType().toString() + UNWRAP.matcher(args).replaceAll("$2"));
    }

    /** @return the recorded commands that start with {@code type} (for example {@code XREADGROUP}) */
    List<String> ofType(String type) {
        return commands.stream().filter(c -> c.startsWith(type + " ")).collect(Collectors.toList());
    }

    void clear() {
        commands.clear();
    }
}
