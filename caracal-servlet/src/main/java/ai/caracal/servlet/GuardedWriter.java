package ai.caracal.servlet;

import ai.caracal.verify.http.StreamGuard;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.Supplier;

/**
 * The container's writer of a response that may become a live one: at the first write or flush the
 * response decides ({@link LiveResponse}); a live response's writes then go through its
 * {@link StreamGuard}, any other's straight to the container. The container's writer never throws; its
 * errors (a client gone) are rethrown at {@code flush}, so the application's
 * {@code PrintWriter.checkError()} still reports them.
 */
final class GuardedWriter extends Writer {

    private final PrintWriter target;
    private final Supplier<StreamGuard> guard;

    GuardedWriter(PrintWriter target, Supplier<StreamGuard> guard) {
        this.target = target;
        this.guard = guard;
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        StreamGuard live = guard.get();
        if (live == null) {
            target.write(chars, off, len);
            return;
        }
        live.enter();
        try {
            target.write(chars, off, len);
        } finally {
            live.exit();
        }
    }

    @Override
    public void write(String text, int off, int len) throws IOException {
        StreamGuard live = guard.get();
        if (live == null) {
            target.write(text, off, len);
            return;
        }
        live.enter();
        try {
            target.write(text, off, len);
        } finally {
            live.exit();
        }
    }

    @Override
    public void write(int c) throws IOException {
        StreamGuard live = guard.get();
        if (live == null) {
            target.write(c);
            return;
        }
        live.enter();
        try {
            target.write(c);
        } finally {
            live.exit();
        }
    }

    @Override
    public void flush() throws IOException {
        StreamGuard live = guard.get();
        if (live != null) {
            live.enter();
        }
        try {
            target.flush();
            if (target.checkError()) {
                throw new IOException("the response could not be written (the client may be gone)");
            }
        } finally {
            if (live != null) {
                live.exit();
            }
        }
    }

    @Override
    public void close() throws IOException {
        StreamGuard live = guard.get();
        if (live == null) {
            target.close();
        } else {
            live.closeFromApplication();
        }
    }
}
