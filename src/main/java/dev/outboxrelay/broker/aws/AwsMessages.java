package dev.outboxrelay.broker.aws;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Message;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * What AWS accepts in one message, checked before sending so that an event over a limit fails at once with the
 * reason, instead of being cut, losing a header, or failing the same way 25 times.
 */
final class AwsMessages {

    /** SNS and SQS: body plus attribute names, types and values; also the sum over one batch call. */
    static final int MAX_BYTES = 262_144;
    static final int MAX_ATTRIBUTES = 10;
    static final int MAX_BATCH_ENTRIES = 10;
    private static final int MAX_GROUP_ID_LENGTH = 128;
    private static final String STRING_TYPE = "String";
    /** Always 1.0 and application/json: left out on SNS/SQS, where attributes are scarce. */
    private static final Set<String> CONSTANT_HEADERS = Set.of("ce_specversion", "content-type");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    private static final Pattern GROUP_ID = Pattern.compile("[\\p{Alnum}\\p{Punct}]+");

    private AwsMessages() {
    }

    /**
     * Every header becomes a message attribute of type String (with raw delivery SNS hands them to each queue as
     * SQS attributes), except two that never vary: SQS allows ten attributes, and a dead letter adds four.
     */
    static Map<String, String> attributes(Message message) {
        Map<String, String> attributes = new LinkedHashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (value != null && !CONSTANT_HEADERS.contains(name)) {
                attributes.put(name, value.toString());
            }
        });
        return attributes;
    }

    static Map<String, MessageAttributeValue> snsAttributes(Message message) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes(message).forEach((name, value) -> attributes.put(name,
                MessageAttributeValue.builder().dataType(STRING_TYPE).stringValue(value).build()));
        return attributes;
    }

    /** The same attributes for a command sent straight to SQS, whose SDK has a type of its own for them. */
    static Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> sqsAttributes(Message message) {
        Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes(message).forEach((name, value) -> attributes.put(name,
                software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                        .dataType(STRING_TYPE).stringValue(value).build()));
        return attributes;
    }

    static int size(Message message) {
        int size = message.getBody(String.class).getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, String> attribute : attributes(message).entrySet()) {
            size += utf8(attribute.getKey()) + STRING_TYPE.length() + utf8(attribute.getValue());
        }
        return size;
    }

    /** Why AWS would refuse this message of {@code size} bytes ({@link #size}), or null when it fits. */
    static String problem(Message message, int size, boolean fifo) {
        Map<String, String> attributes = attributes(message);
        if (attributes.size() > MAX_ATTRIBUTES) {
            return "the event has " + attributes.size() + " message attributes " + attributes.keySet()
                    + " and SNS/SQS allow at most " + MAX_ATTRIBUTES + " (5 are the CloudEvents attributes):"
                    + " remove row headers";
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String name = attribute.getKey();
            // the AWS./Amazon. prefixes AWS reserves are refused for every broker (OutboxEnvelope)
            if (!ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".")
                    || name.contains("..")) {
                return "header name '" + name + "' is not a valid SNS/SQS message attribute name (letters, digits,"
                        + " _ - . only, no leading, trailing or double dot)";
            }
            if (attribute.getValue().isEmpty()) {
                return "header '" + name + "' is empty and SNS/SQS message attributes must have a value";
            }
        }
        if (size > MAX_BYTES) {
            return "the message is " + size + " bytes (payload and attributes) and SNS/SQS accept at most "
                    + MAX_BYTES + " bytes (256 KB): store large content elsewhere and send a reference";
        }
        String groupId = message.getHeader("ce_subject", String.class);
        if (fifo && (groupId.length() > MAX_GROUP_ID_LENGTH || !GROUP_ID.matcher(groupId).matches())) {
            return "the aggregate id cannot be a FIFO message group id (at most " + MAX_GROUP_ID_LENGTH
                    + " letters, digits and punctuation): " + groupId;
        }
        return null;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
