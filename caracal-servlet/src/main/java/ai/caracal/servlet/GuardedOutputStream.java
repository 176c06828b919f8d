package ai.caracal.servlet;

import ai.caracal.verify.http.StreamGuard;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The container's output stream of a response that may become a live one: at the first write or flush
 * the response decides ({@link LiveResponse}); a live response's writes then go through its
 * {@link StreamGuard}, any other's straight to the container.
 */
final class GuardedOutputStream extends ServletOutputStream {

    private final ServletOutputStream target;
    private final Supplier<StreamGuard> guard;

    GuardedOutputStream(ServletOutputStream target, Supplier<StreamGuard> guard) {
        this.target = target;
        this.guard = guard;
    }

    @Override
    public void write(int b) throws IOException {
        StreamGuard live = guard.get();
        if (live == null) {
            target.write(b);
            return;
        }
        live.enter();
        try {
            target.write(b);
        } finally {
            live.exit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        StreamGuard live = guard.get();
        if (live == null) {
            target.write(b, off, len);
            return;
        }
        live.enter();
        try {
            target.write(b, off, len);
        } finally {
            live.exit();
        }
    }

    @Override
    public void flush() throws IOException {
        StreamGuard live = guard.get();
        if (live == null) {
            target.flush();
            return;
        }
        live.enter();
        try {
            target.flush();
        } finally {
            live.exit();
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

    @Override
    public boolean isReady() {
        return target.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        target.setWriteListener(listener);
    }
}
