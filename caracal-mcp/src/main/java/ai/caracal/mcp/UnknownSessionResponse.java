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

/**
 * Holds back the transport's answer to a request whose session ID was replaced
 * ({@link SubstitutedSessionRequest}), and puts the ID the caller named back where the transport echoed
 * the replacement (the SDK's POST answer is {@code "Session not found: <id>"}). The caller receives
 * byte for byte what the transport answers for a session it does not know.
 *
 * <p>The replacement is put back only when the named ID consists of URL-safe characters
 * ({@code A-Z a-z 0-9 . _ ~ -}, which every SDK session ID does), so that no body format has to escape it;
 * otherwise the answer keeps the replacement. An answer through {@code sendError} (the SDK's GET and
 * DELETE) is the container's error page, which echoes no header, and passes untouched. Bodies larger
 * than 64 KiB (never an error answer) pass through unchanged. Not thread-safe: one request.
 */
final class UnknownSessionResponse extends HttpServletResponseWrapper {

    private static final int MAX_HELD = SessionIdEcho.MAX_HELD;

    private final byte[] replacement;
    private final byte[] named;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private final Stream stream = new Stream();
    private PrintWriter writer;
    private boolean passThrough;

    /**
     * @param replacement the session ID the transport saw
     * @param named       the session ID the caller named, or {@code null} to leave the replacement in place
     */
    UnknownSessionResponse(HttpServletResponse response, String replacement, String named) {
        super(response);
        this.replacement = replacement.getBytes(StandardCharsets.US_ASCII);
        this.named = named != null && SessionIdEcho.isUrlSafe(named) ? named.getBytes(StandardCharsets.US_ASCII) : null;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            writer = new PrintWriter(new OutputStreamWriter(stream, charset));
        }
        return writer;
    }

    @Override
    public void setContentLength(int length) {
        if (passThrough) {
            super.setContentLength(length);
        }
    }

    @Override
    public void setContentLengthLong(long length) {
        if (passThrough) {
            super.setContentLengthLong(length);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (passThrough || !"Content-Length".equalsIgnoreCase(name)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (passThrough || !"Content-Length".equalsIgnoreCase(name)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (passThrough || !"Content-Length".equalsIgnoreCase(name)) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (passThrough) {
            super.flushBuffer();
        }
    }

    @Override
    public void resetBuffer() {
        held.reset();
        super.resetBuffer();
    }

    @Override
    public void reset() {
        held.reset();
        super.reset();
    }

    /**
     * Writes what the transport answered, with the named ID put back, and lets anything written later
     * pass straight through. Call once, after the filter chain returned.
     */
    void finish() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (passThrough) {
            return;
        }
        passThrough = true;
        if (held.size() == 0) {
            return;
        }
        byte[] body = named == null ? held.toByteArray() : SessionIdEcho.replaceAll(held.toByteArray(), replacement, named);
        super.setContentLength(body.length);
        ServletOutputStream out = super.getOutputStream();
        out.write(body);
        out.flush();
    }

    private void overflow() throws IOException {
        passThrough = true;
        ServletOutputStream out = super.getOutputStream();
        held.writeTo(out);
        held.reset();
    }

    /** The stream the transport writes to: held back until {@link #finish()}, then straight through. */
    private final class Stream extends ServletOutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (passThrough) {
                UnknownSessionResponse.super.getOutputStream().write(b, off, len);
                return;
            }
            held.write(b, off, len);
            if (held.size() > MAX_HELD) {
                overflow();
            }
        }

        @Override
        public void flush() throws IOException {
            if (passThrough) {
                UnknownSessionResponse.super.getOutputStream().flush();
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("non-blocking writes are not expected for an unknown MCP session");
        }
    }
}
