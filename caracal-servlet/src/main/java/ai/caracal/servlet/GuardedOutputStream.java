package ai.caracal.servlet;

import ai.caracal.verify.http.StreamGuard;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/** The container's output stream of a live response, every write under its {@link StreamGuard}. */
final class GuardedOutputStream extends ServletOutputStream {

    private final ServletOutputStream target;
    private final StreamGuard guard;

    GuardedOutputStream(ServletOutputStream target, StreamGuard guard) {
        this.target = target;
        this.guard = guard;
    }

    @Override
    public void write(int b) throws IOException {
        guard.enter();
        try {
            target.write(b);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        guard.enter();
        try {
            target.write(b, off, len);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void flush() throws IOException {
        guard.enter();
        try {
            target.flush();
        } finally {
            guard.exit();
        }
    }

    @Override
    public void close() throws IOException {
        guard.closeFromApplication();
    }

    @Override
    public boolean isReady() {
        return target.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        target.setWriteListener(listener);
    }
}
