package dev.outboxrelay.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * Turns a claimed row into the message every broker carries (DESIGN.md, wire format): the payload unchanged as
 * body, the CloudEvents attributes and the row's own headers as message headers.
 */
public class OutboxEnvelope {

    /** Exchange property keeping the row while its message is being sent. */
    public static final String EVENT = "outboxEvent";

    private final ObjectMapper json;

    OutboxEnvelope(ObjectMapper json) {
        this.json = json;
    }

    public void toMessage(Exchange exchange) throws InvalidPayloadException {
        OutboxEvent event = exchange.getMessage().getMandatoryBody(OutboxEvent.class);
        exchange.setProperty(EVENT, event);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
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
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            JsonNode value = header.getValue();
            message.setHeader(header.getKey(), value.isValueNode() ? value.asText() : value.toString());
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
