package ai.caracal.mcp;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The transport's answer to a listing request, filtered on its way out by a {@link ListingFilter}
 * (connectors.md §10.2 M10). The transport may write from another thread after the filter chain
 * returned (an SSE answer on an async request), so the filtering happens as bytes are written:
 *
 * <ul>
 *   <li>{@code text/event-stream}: each event is passed on as soon as it is complete, filtered; a flush
 *       passes on every complete event.</li>
 *   <li>any other type (a JSON document): held back until it is one complete JSON document (checked on
 *       flush and at the end), then written filtered with its new length.</li>
 * </ul>
 *
 * {@code Content-Length} set by the transport is dropped (the length changes). Thread-safe for one writer
 * at a time, as the servlet API requires.
 */
final class ListingResponse extends HttpServletResponseWrapper {

    private final ListingFilter filter;
    private final Stream stream = new Stream();
    private ListingFilter.SseEvents events;
    private final ByteArrayOutputStream document = new ByteArrayOutputStream();
    private boolean documentMode;
    private boolean modeChosen;
    private boolean done;
    private PrintWriter writer;

    ListingResponse(HttpServletResponse response, ListingFilter filter) {
        super(response);
        this.filter = filter;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            writer = new PrintWriter(new OutputStreamWriter(stream, charset));
        }
        return writer;
    }

    @Override
    public void setContentLength(int length) {
        // the filtered answer has another length
    }

    @Override
    public void setContentLengthLong(long length) {
        // the filtered answer has another length
    }

    @Override
    public void setHeader(String name, String value) {
        if (!"Content-Length".equalsIgnoreCase(name)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!"Content-Length".equalsIgnoreCase(name)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!"Content-Length".equalsIgnoreCase(name)) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!"Content-Length".equalsIgnoreCase(name)) {
            super.addIntHeader(name, value);
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        stream.flush();
        if (!documentMode || done) {
            super.flushBuffer();
        }
    }

    @Override
    public void resetBuffer() {
        synchronized (stream) {
            document.reset();
        }
        super.resetBuffer();
    }

    /**
     * Writes what is still held: a JSON document that never became complete is passed on as it is (it is
     * no listing then), the tail of an event stream filtered. Call after the filter chain returned when
     * the request did not go asynchronous.
     */
    void finish() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        synchronized (stream) {
            if (done) {
                return;
            }
            if (documentMode) {
                emitDocument(true);
            } else if (events != null) {
                byte[] rest = events.finish();
                if (rest.length > 0) {
                    super.getOutputStream().write(rest);
                }
            }
        }
    }

    private void chooseMode() {
        if (!modeChosen) {
            String type = getContentType();
            documentMode = type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
            if (!documentMode) {
                events = filter.sse();
            }
            modeChosen = true;
        }
    }

    /** @return whether the held document was complete and is now written */
    private boolean emitDocument(boolean atEnd) throws IOException {
        byte[] held = document.toByteArray();
        byte[] out;
        try {
            out = filter.rewrite(held);
        } catch (IOException incomplete) {
            if (!atEnd) {
                return false;
            }
            out = held;
        }
        done = true;
        document.reset();
        if (!isCommitted()) {
            super.setContentLength(out.length);
        }
        ServletOutputStream target = super.getOutputStream();
        target.write(out);
        target.flush();
        return true;
    }

    /** The stream the transport writes to. */
    private final class Stream extends ServletOutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            chooseMode();
            if (done) {
                ListingResponse.super.getOutputStream().write(b, off, len);
            } else if (documentMode) {
                document.write(b, off, len);
                if (document.size() > ListingFilter.MAX_MESSAGE_BYTES) {
                    // Fails closed: no listing this large is passed on unfiltered.
                    done = true;
                    document.reset();
                    throw new IOException("listing answer larger than " + ListingFilter.MAX_MESSAGE_BYTES + " bytes");
                }
            } else {
                byte[] ready = events.feed(b, off, len);
                if (ready.length > 0) {
                    ListingResponse.super.getOutputStream().write(ready);
                }
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (documentMode && !done) {
                if (document.size() > 0) {
                    emitDocument(false);
                }
                return;
            }
            ListingResponse.super.getOutputStream().flush();
        }

        @Override
        public void close() throws IOException {
            finish();
            ListingResponse.super.getOutputStream().close();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("non-blocking writes are not supported for a filtered MCP listing");
        }
    }
}
