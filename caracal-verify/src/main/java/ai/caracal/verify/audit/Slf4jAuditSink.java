package ai.caracal.verify.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each audit event as one JSON line at INFO to an SLF4J logger (by default {@value #DEFAULT_LOGGER}),
 * so the logging set-up routes it to its own file or collector:
 *
 * <pre>{@code
 * {"time":"2026-12-04T19:10:53.123Z","result":"deny","code":"invalid_token","cause":"keys_unavailable",
 *  "zone":"zone_prod","action":"POST /mcp","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}
 * }</pre>
 *
 * <p>(one line in the log). Members whose value is {@code null} are left out; the order is {@code time},
 * {@code result}, {@code code}, {@code cause}, {@code zone}, {@code sub}, {@code client_id},
 * {@code agent_session}, {@code action}, {@code trace_id}. Stateless and thread-safe; wrap it in an
 * {@link AsyncAuditSink}.
 */
public final class Slf4jAuditSink implements AuditSink {

    /** The default logger name. */
    public static final String DEFAULT_LOGGER = "caracal.audit";

    private static final JsonFactory JSON = new JsonFactory();

    private final Logger logger;

    /** Logs to {@value #DEFAULT_LOGGER}. */
    public Slf4jAuditSink() {
        this(DEFAULT_LOGGER);
    }

    /**
     * @param loggerName the SLF4J logger to write to; never {@code null}
     */
    public Slf4jAuditSink(String loggerName) {
        this.logger = LoggerFactory.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
    }

    @Override
    public void record(AuditEvent event) {
        if (logger.isInfoEnabled()) {
            logger.info(json(event));
        }
    }

    /**
     * @param event an event
     * @return its JSON line (no line break), as described above
     */
    public static String json(AuditEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", event.time().toString());
            json.writeStringField("result", event.result());
            field(json, "code", event.code());
            json.writeStringField("cause", event.cause().wire());
            field(json, "zone", event.zone());
            field(json, "sub", event.subject());
            field(json, "client_id", event.clientId());
            field(json, "agent_session", event.agentSession());
            json.writeStringField("action", event.action());
            field(json, "trace_id", event.traceId());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void field(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
