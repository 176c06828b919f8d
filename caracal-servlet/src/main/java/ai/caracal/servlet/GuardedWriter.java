package ai.caracal.servlet;

import ai.caracal.verify.http.StreamGuard;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The container's writer of a live response, every write under its {@link StreamGuard}. The container's
 * writer never throws; its errors (a client gone) are rethrown at {@code flush}, so the application's
 * {@code PrintWriter.checkError()} still reports them.
 */
final class GuardedWriter extends Writer {

    private final PrintWriter target;
    private final StreamGuard guard;

    GuardedWriter(PrintWriter target, StreamGuard guard) {
        this.target = target;
        this.guard = guard;
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        guard.enter();
        try {
            target.write(chars, off, len);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void write(String text, int off, int len) throws IOException {
        guard.enter();
        try {
            target.write(text, off, len);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void write(int c) throws IOException {
        guard.enter();
        try {
            target.write(c);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void flush() throws IOException {
        guard.enter();
        try {
            target.flush();
            if (target.checkError()) {
                throw new IOException("the response could not be written (the client may be gone)");
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    public void close() throws IOException {
        guard.closeFromApplication();
    }
}
