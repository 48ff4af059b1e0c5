package dev.outboxrelay.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultExchange;

/**
 * Turns a claimed row into the message every broker carries (DESIGN.md, wire format): the payload unchanged as
 * body, the CloudEvents attributes and the row's own headers as message headers. A row header the relay may not
 * pass on ({@link RowHeaderNames}) makes the row malformed.
 */
public class OutboxEnvelope {

    private final ObjectMapper json;
    private final PublishSpans spans;

    OutboxEnvelope(ObjectMapper json) {
        this(json, PublishSpans.OFF);
    }

    OutboxEnvelope(ObjectMapper json, PublishSpans spans) {
        this.json = json;
        this.spans = spans;
    }

    /**
     * Turns the claimed batch into one message per event, each traced event with its publish span started; a
     * malformed row is recorded and left out. The body becomes the batch, its messages also go in
     * {@link OutboxRelay#MESSAGES}.
     */
    public void toMessages(Exchange exchange) {
        OutboxBatch batch = exchange.getProperty(OutboxRelay.BATCH, OutboxBatch.class);
        List<OutboxEvent> events = batch.events();
        for (int i = 0; i < events.size(); i++) {
            try {
                Message message = toMessage(events.get(i), exchange.getContext());
                batch.envelope(i, message, spans.start(events.get(i), message));
            } catch (MalformedEventException e) {
                batch.malformed(i, "malformed row: " + e.getMessage());
            }
        }
        exchange.setProperty(OutboxRelay.MESSAGES, batch.messages());
        exchange.getMessage().setBody(batch);
    }

    /** A message of its own exchange, so that a producer can report this message's failure on it. */
    Message toMessage(OutboxEvent event, CamelContext context) {
        Message message = new DefaultExchange(context).getIn();
        putRowHeaders(event, message);
        message.setHeader("ce_specversion", "1.0");
        message.setHeader("ce_id", event.id().toString());
        message.setHeader("ce_type", event.eventType());
        message.setHeader("ce_source", event.aggregateType());
        message.setHeader("ce_subject", event.aggregateId());
        message.setHeader("ce_time", event.createdAt().toString());
        message.setHeader("content-type", "application/json");
        checkJson(event);
        message.setBody(event.payload());
        return message;
    }

    private void putRowHeaders(OutboxEvent event, Message message) {
        if (event.headers() == null || event.headers().isBlank()) {
            return;
        }
        JsonNode headers;
        try {
            headers = json.readTree(event.headers());
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("headers is not valid JSON: " + e.getOriginalMessage());
        }
        if (!headers.isObject()) {
            throw new MalformedEventException("headers must be a JSON object, found " + headers.getNodeType());
        }
        List<String> refusals = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String refusal = RowHeaderNames.refusal(header.getKey());
            if (refusal != null) {
                refusals.add(refusal);
                continue;
            }
            JsonNode value = header.getValue();
            message.setHeader(header.getKey(), value.isValueNode() ? value.asText() : value.toString());
        }
        if (!refusals.isEmpty()) {
            throw new MalformedEventException("headers refused: " + String.join("; ", refusals));
        }
    }

    private void checkJson(OutboxEvent event) {
        try (JsonParser parser = json.createParser(event.payload())) {
            if (parser.nextToken() == null) {
                throw new MalformedEventException("payload is empty");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new MalformedEventException("payload has content after its JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
