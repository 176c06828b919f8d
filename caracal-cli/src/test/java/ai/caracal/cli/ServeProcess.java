package ai.caracal.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code caracal serve} in a JVM of its own (so it can be stopped with a real SIGTERM), with the test
 * classpath. Its environment is exactly the map given, plus {@code PATH}.
 */
final class ServeProcess implements AutoCloseable {

    /** A fresh JVM starting Jetty and the MCP SDK on a loaded 2-core machine: generous, it is a bounded wait. */
    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private final Process process;
    private final Path stderr;
    private final List<String> stdoutLines = new ArrayList<>();
    private final CompletableFuture<String> firstLine = new CompletableFuture<>();
    private final Thread reader;

    private ServeProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::readStdout, "serve-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ServeProcess start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "ai.caracal.cli.Caracal", "serve"));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("caracal-serve", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> !name.equals("PATH"));
        builder.environment().putAll(env);
        return new ServeProcess(builder.start(), stderr);
    }

    private void readStdout() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (stdoutLines) {
                    stdoutLines.add(line);
                }
                firstLine.complete(line);
            }
        } catch (IOException e) {
            firstLine.completeExceptionally(e);
        }
        firstLine.completeExceptionally(new IllegalStateException("caracal serve ended without printing a line"));
    }

    /** @return the first stdout line, once printed (at most {@link #READY_WITHIN}) */
    String awaitFirstLine() throws InterruptedException {
        try {
            return firstLine.get(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("caracal serve did not print its first line within " + READY_WITHIN.toSeconds()
                    + " s; stderr: " + stderr(), e);
        }
    }

    /** @return the MCP URL from {@code listening on <url>} */
    URI awaitListening() throws InterruptedException {
        String line = awaitFirstLine();
        if (!line.startsWith("listening on ")) {
            throw new AssertionError("unexpected first line: " + line + "; stderr: " + stderr());
        }
        return URI.create(line.substring("listening on ".length()));
    }

    /**
     * Waits (at most {@link #READY_WITHIN}) for the process to end on its own; returns its exit code.
     *
     * @throws AssertionError when it is still running then (it is killed)
     */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(READY_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("caracal serve did not end within " + READY_WITHIN.toSeconds() + " s; stdout: "
                    + stdoutLines() + "; stderr: " + stderr());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /** Sends SIGTERM and waits (at most 60 s) for the process to end; returns its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("caracal serve did not stop within 60 s of SIGTERM");
        }
        reader.join(5_000);
        return process.exitValue();
    }

    List<String> stdoutLines() {
        synchronized (stdoutLines) {
            return List.copyOf(stdoutLines);
        }
    }

    String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(stderr);
    }
}
