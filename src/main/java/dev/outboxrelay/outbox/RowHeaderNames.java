package dev.outboxrelay.outbox;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which names a row's {@code headers} may use, so that no row can bend what the relay promises: the envelope's own
 * headers keep their values (a consumer deduplicates on {@code ce_id}, orders on {@code ce_subject}), no header
 * steers the broker's client or Camel ({@code kafka.PARTITION_KEY} would move the event off its aggregate's
 * partition; Camel drops {@code Camel*} headers silently), and every {@code ce_} header is a CloudEvents extension
 * attribute that a CloudEvents SDK reads back (it refuses {@code ce_trace-id}). Names are compared in any case, as
 * brokers and SDKs differ in that.
 */
final class RowHeaderNames {

    /** The envelope's own headers (OutboxEnvelope). */
    private static final Set<String> ENVELOPE = Set.of("ce_id", "ce_type", "ce_source", "ce_subject", "ce_time",
            "ce_specversion", "content-type");
    /** CloudEvents 1.0 context attributes and the reserved {@code data}: never an extension. */
    private static final Set<String> CLOUDEVENTS_ATTRIBUTES = Set.of("id", "source", "specversion", "type",
            "datacontenttype", "dataschema", "subject", "time", "data");
    /** Headers the brokers' clients and Camel read or drop: Kafka, Camel, JMS, AWS (which reserves aws. and amazon.). */
    private static final List<String> RESERVED_PREFIXES = List.of("kafka.", "camel", "org.apache.camel.", "jms",
            "aws.", "amazon.");
    private static final String CLOUDEVENTS_PREFIX = "ce_";
    /** CloudEvents: lower-case letters and digits; at most 20, as the spec recommends, so that every SDK takes it. */
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

    private RowHeaderNames() {
    }

    /** Why a row may not carry a header of this name, or null when it may. */
    static String refusal(String name) {
        if (name.isBlank()) {
            return "a header name is empty";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (ENVELOPE.contains(lower)) {
            return "'" + name + "' is set by the relay itself and cannot be overridden";
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (lower.startsWith(prefix)) {
                return "'" + name + "' starts with '" + prefix + "', reserved for the broker clients and Camel ("
                        + String.join(", ", RESERVED_PREFIXES) + ", in any case)";
            }
        }
        if (lower.startsWith(CLOUDEVENTS_PREFIX)) {
            String attribute = name.substring(CLOUDEVENTS_PREFIX.length());
            if (!name.startsWith(CLOUDEVENTS_PREFIX) || !EXTENSION_NAME.matcher(attribute).matches()) {
                return "'" + name + "' is not a CloudEvents extension attribute: after 'ce_' come 1 to 20 lower-case"
                        + " letters or digits (CloudEvents readers refuse the record otherwise)";
            }
            if (CLOUDEVENTS_ATTRIBUTES.contains(attribute)) {
                return "'" + name + "' is a CloudEvents context attribute, which the relay sets or leaves out;"
                        + " a row adds extension attributes only";
            }
        }
        return null;
    }
}
