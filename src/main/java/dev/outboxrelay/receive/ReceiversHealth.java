package dev.outboxrelay.receive;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.outboxrelay.broker.KafkaConsumerWatch;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.spi.InflightRepository;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code receivers} component of /actuator/health: DOWN while a receiving service cannot make progress: its
 * route is not running, one message has been in processing for longer than {@code receivers.stall-timeout}, or
 * (Kafka) one of its consumers has not polled for that long. A broker outage alone shows in the broker's own
 * component; the receivers stay UP through it as long as they keep polling, and are ready the moment it returns.
 */
class ReceiversHealth implements HealthIndicator {

    private final CamelContext camel;
    private final Duration stallTimeout;
    private final KafkaConsumerWatch kafkaConsumers;

    ReceiversHealth(CamelContext camel, Duration stallTimeout, KafkaConsumerWatch kafkaConsumers) {
        this.camel = camel;
        this.stallTimeout = stallTimeout;
        this.kafkaConsumers = kafkaConsumers;
    }

    @Override
    public Health health() {
        Map<String, Duration> pollGaps = kafkaConsumers == null ? Map.of() : kafkaConsumers.longestPollGapByGroup();
        Map<String, String> services = new LinkedHashMap<>();
        boolean up = true;
        for (Route route : camel.getRoutes()) {
            if (!route.getRouteId().startsWith(ReceivingRoute.PREFIX)) {
                continue;
            }
            String problem = problem(route, pollGaps);
            up &= problem == null;
            services.put(route.getRouteId().substring(ReceivingRoute.PREFIX.length()), problem == null ? "UP" : problem);
        }
        return (up ? Health.up() : Health.down()).withDetails(services)
                .withDetail("stallTimeout", stallTimeout.toString()).build();
    }

    private String problem(Route route, Map<String, Duration> pollGaps) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
        if (status != ServiceStatus.Started) {
            return "route " + route.getRouteId() + " is " + status;
        }
        InflightRepository.InflightExchange oldest = camel.getInflightRepository().oldest(route.getRouteId());
        if (oldest != null && oldest.getElapsed() > stallTimeout.toMillis()) {
            return "one message has been in processing for " + oldest.getElapsed() / 1000 + " s (exchange "
                    + oldest.getExchange().getExchangeId() + ", at " + oldest.getNodeId() + ")";
        }
        if (route.getEndpoint() instanceof KafkaEndpoint kafka) {
            Duration gap = pollGaps.get(kafka.getConfiguration().getGroupId());
            if (gap != null && gap.compareTo(stallTimeout) > 0) {
                return "a consumer of group " + kafka.getConfiguration().getGroupId() + " has not polled Kafka for "
                        + gap.toSeconds() + " s";
            }
        }
        return null;
    }
}
