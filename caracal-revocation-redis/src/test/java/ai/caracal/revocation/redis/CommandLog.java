package ai.caracal.revocation.redis;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.protocol.RedisCommand;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The commands a Lettuce client really writes, as {@code "MGET k1 k2"} strings, recorded by a
 * {@link CommandListener} registered with {@code client.addListener(...)} before connecting. Events fire
 * on the calling thread when the command is written, so a store call's commands are all recorded by the
 * time it returns. Thread-safe.
 */
final class CommandLog implements CommandListener {

    /** Lettuce renders keys and values as {@code key<k>} and {@code value<v>}; the log shows them bare. */
    private static final Pattern WRAPPED = Pattern.compile("(?:key|value)<([^>]*)>");

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        RedisCommand<Object, Object, Object> command = event.getCommand();
        String args = command.getArgs() == null ? "" : WRAPPED.matcher(command.getArgs().toCommandString()).replaceAll("$1");
        sent.add((command.getType().toString() + " " + args).trim());
    }

    /** @return the commands written since the last {@link #clear()}, in order */
    List<String> sent() {
        return List.copyOf(sent);
    }

    /** @return the commands written since the last {@link #clear()} that start with {@code type}, e.g. {@code XREADGROUP} */
    List<String> ofType(String type) {
        return sent.stream().filter(c -> c.equals(type) || c.startsWith(type + " ")).collect(java.util.stream.Collectors.toList());
    }

    void clear() {
        sent.clear();
    }
}
