package ai.caracal.cli;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A long-running command (dev-sts, example, serve) run in-process on a thread, its output read line by line. */
final class BackgroundCli implements AutoCloseable {

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread command;
    private volatile int exitCode = -1;

    BackgroundCli(Map<String, String> env, String... args) {
        PipedInputStream pipe = new PipedInputStream(1 << 16);
        PrintWriter out;
        try {
            out = new PrintWriter(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8))
                .lines().forEach(lines::add), "cli-output");
        reader.setDaemon(true);
        reader.start();
        command = new Thread(() -> exitCode = Caracal.run(args, env, new ByteArrayInputStream(new byte[0]), out,
                new PrintWriter(System.err, true)), "cli-command");
        command.start();
    }

    /** @return the next line printed, waiting at most {@code seconds} */
    String nextLine(int seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no output within " + seconds + " s");
        }
        return line;
    }

    /** Interrupts the command (as Ctrl-C would stop it) and waits for it to return. @return its exit code */
    int stop() throws InterruptedException {
        command.interrupt();
        command.join(15_000);
        if (command.isAlive()) {
            throw new AssertionError("the command did not stop within 15 s");
        }
        return exitCode;
    }

    @Override
    public void close() throws InterruptedException {
        if (command.isAlive()) {
            stop();
        }
    }
}
