package dev.outboxrelay.receive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The receiving services as {@code receivers.services} declares them, and everything derived from an entry: its
 * endpoints on the chosen broker (from {@code receivers.endpoints.<broker>}), the topics it reads, its Kafka group
 * (its name), its SQS queue and subscriptions, its copy of each event on the embedded broker, its idempotent
 * repository and routes ({@code receive-<name>}, {@code apply-<name>}), its metrics and its DLQ. A catalogue that
 * cannot work (an unknown bean or method, two entries that would share a queue, an event type no topic carries)
 * stops start-up with a message naming the entry.
 */
public final class ReceiverCatalogue {

    /** A service's name names its queues, topics, Kafka group and routes, so it must suit all of them. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private final Map<String, ReceivingService> services;
    private final Map<String, List<String>> inputsByEventType = new HashMap<>();

    /**
     * One catalogue entry with what is derived from it.
     *
     * @param aggregateTypes the aggregate types whose topics carry its events
     * @param endpoint       where it consumes
     * @param deadLetter     where its dead letters go and a replay reads them
     * @param input          where a message for this service alone goes (a replay; the embedded fan-out)
     */
    public record ReceivingService(String name, List<String> events, Set<String> aggregateTypes, String bean,
                                   String method, String endpoint, String deadLetter, String input) {
    }

    /** Names the Kafka topic the relay writes an event type of an aggregate type to. */
    @FunctionalInterface
    interface TopicNames {
        String topic(String aggregateType, String eventType);
    }

    private ReceiverCatalogue(Map<String, ReceivingService> services) {
        this.services = services;
        services.values().forEach(service -> service.events().forEach(type ->
                inputsByEventType.computeIfAbsent(type, t -> new ArrayList<>()).add(service.input())));
        inputsByEventType.replaceAll((type, inputs) -> List.copyOf(inputs));
    }

    /**
     * @param broker     the value of {@code outbox.broker}, which picks the endpoint templates
     * @param topicNames the relay's Kafka topic for an event
     */
    static ReceiverCatalogue of(ReceiverProperties properties, String broker, TopicNames topicNames) {
        Map<String, String> aggregateTypeByEvent = aggregateTypeByEvent(properties.topics());
        ReceiverProperties.Endpoints templates = templates(properties, broker);
        Map<String, ReceivingService> services = new TreeMap<>();
        for (Map.Entry<String, ReceiverProperties.Service> entry : properties.services().entrySet()) {
            String name = entry.getKey();
            ReceiverProperties.Service declared = entry.getValue();
            checkDeclaration(name, declared);
            Set<String> aggregateTypes = new LinkedHashSet<>();
            Set<String> topics = new LinkedHashSet<>();
            for (String event : declared.events()) {
                String aggregateType = aggregateTypeByEvent.get(event);
                if (aggregateType == null) {
                    throw invalid(name, "consumes event type " + event + ", which no topic carries: list it under "
                            + "receivers.topics.<aggregate type>, the aggregate_type of its outbox rows");
                }
                aggregateTypes.add(aggregateType);
                topics.add(topicNames.topic(aggregateType, event));
            }
            int consumers = declared.consumers() != null ? declared.consumers() : properties.consumers();
            Map<String, String> parameters = Map.of("service", name, "topics", String.join(",", topics),
                    "consumers", Integer.toString(consumers));
            services.put(name, new ReceivingService(name, declared.events(), Set.copyOf(aggregateTypes),
                    declared.bean(), declared.method(), render(templates.consume(), parameters),
                    render(templates.deadLetter(), parameters), render(templates.input(), parameters)));
        }
        checkNothingShared(services.values());
        return new ReceiverCatalogue(services);
    }

    /** The services, by name. */
    public Collection<ReceivingService> services() {
        return services.values();
    }

    public List<String> names() {
        return List.copyOf(services.keySet());
    }

    public Optional<ReceivingService> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** Per service, the aggregate types whose topics its queue subscribes to (SNS to SQS). */
    public Map<String, Set<String>> subscriptions() {
        Map<String, Set<String>> subscriptions = new LinkedHashMap<>();
        services.values().forEach(service -> subscriptions.put(service.name(), service.aggregateTypes()));
        return subscriptions;
    }

    /**
     * The embedded broker's fan-out (bean {@code receiverCatalogue} in publish-embedded): the inputs of the
     * services that consume the event type; none when no service does.
     */
    public List<String> inputsFor(String eventType) {
        return inputsByEventType.getOrDefault(eventType, List.of());
    }

    /** Each entry's bean must exist and have the method, or the first event would fail in every service's DLQ. */
    void checkBeans(ListableBeanFactory beans) {
        for (ReceivingService service : services.values()) {
            if (!beans.containsBean(service.bean())) {
                throw invalid(service.name(), "names bean " + service.bean() + ", which does not exist");
            }
            Class<?> type = beans.getType(service.bean());
            if (type != null && Arrays.stream(type.getMethods()).noneMatch(m -> m.getName().equals(service.method()))) {
                throw invalid(service.name(), "names method " + service.method() + ", which bean " + service.bean()
                        + " (" + type.getName() + ") does not have");
            }
        }
    }

    private static void checkDeclaration(String name, ReceiverProperties.Service declared) {
        if (!NAME.matcher(name).matches()) {
            throw invalid(name, "is not a valid service name: lower-case letters, digits and '-' only, as it names"
                    + " the service's queues, Kafka group and routes");
        }
        if (declared.events().isEmpty()) {
            throw invalid(name, "names no events: list the event types it consumes under events");
        }
        if (declared.bean() == null || declared.bean().isBlank()) {
            throw invalid(name, "names no bean: the bean that applies its events");
        }
        if (declared.method() == null || declared.method().isBlank()) {
            throw invalid(name, "names no method: the method of bean " + declared.bean() + " that applies an event");
        }
    }

    /**
     * Names are unique keys, but two entries must not share a queue or topic either: one's dead letters or input
     * being another's (a service named {@code inventory-dlq} next to {@code inventory} on SQS).
     */
    private static void checkNothingShared(Collection<ReceivingService> services) {
        Map<String, String> owners = new HashMap<>();
        for (ReceivingService service : services) {
            for (String endpoint : Set.of(path(service.deadLetter()), path(service.input()))) {
                String owner = owners.putIfAbsent(endpoint, service.name());
                if (owner != null && !owner.equals(service.name())) {
                    throw invalid(service.name(), "is a duplicate of receivers.services." + owner + ": both would "
                            + "use endpoint " + endpoint + "; give one another name");
                }
            }
        }
    }

    private static Map<String, String> aggregateTypeByEvent(Map<String, List<String>> topics) {
        Map<String, String> aggregateTypes = new HashMap<>();
        topics.forEach((aggregateType, events) -> events.forEach(event -> {
            String other = aggregateTypes.putIfAbsent(event, aggregateType);
            if (other != null) {
                throw new IllegalStateException("receivers.topics: event type " + event + " is listed under "
                        + other + " and " + aggregateType + "; an event type belongs to one aggregate type");
            }
        }));
        return aggregateTypes;
    }

    private static ReceiverProperties.Endpoints templates(ReceiverProperties properties, String broker) {
        ReceiverProperties.Endpoints templates = properties.endpoints().getOrDefault(broker,
                new ReceiverProperties.Endpoints(null, null, null));
        return new ReceiverProperties.Endpoints(required(broker, "consume", templates.consume()),
                required(broker, "dead-letter", templates.deadLetter()), required(broker, "input", templates.input()));
    }

    private static String required(String broker, String key, String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalStateException("receivers.endpoints." + broker + "." + key + " is not set: the "
                    + "endpoint template of every receiving service on outbox.broker=" + broker);
        }
        return template;
    }

    private static String render(String template, Map<String, String> parameters) {
        String uri = template;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            uri = uri.replace("{{" + parameter.getKey() + "}}", parameter.getValue());
        }
        return uri;
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static IllegalStateException invalid(String name, String problem) {
        return new IllegalStateException("receivers.services." + name + " " + problem);
    }
}
