package dev.outboxrelay.broker.aws;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SNS and SQS when {@code outbox.broker=aws}: an SNS topic per aggregate type, an SQS queue (with its DLQ) per
 * receiving service subscribed to the topics carrying its events (both from the service catalogue,
 * {@code receivers.services}), and commands sent point to point to one queue.
 *
 * @param endpoint        where SNS and SQS answer; empty for AWS itself (the region's endpoints), set for
 *                        LocalStack or another AWS-API server
 * @param region          the AWS region of the topics and queues
 * @param provision       create the topics, queues, DLQs and subscriptions at start-up (idempotently); when false,
 *                        a missing topic or queue stops start-up. Empty: true for a local endpoint, else false
 * @param fifo            FIFO topics and queues (names end in .fifo): message group = aggregate id, deduplication
 *                        id = event id, so an aggregate's events arrive in order
 * @param namePrefix      put before every topic and queue name (an environment's names apart from another's)
 * @param topicTemplate   the topic of an aggregate type, a Camel simple expression ({@code header.ce_source} is the
 *                        aggregate type)
 * @param topics          the aggregate types that have a topic; an event of another type fails with an error
 * @param commands        per event type that is a command: the one queue it goes to, bypassing SNS
 * @param maxReceiveCount receives of a message after which SQS moves it to the queue's DLQ
 * @param apiCallTimeout  the longest an SNS or SQS call may take, retries included
 */
@ConfigurationProperties("outbox.aws")
public record AwsBrokerProperties(URI endpoint,
                                  @DefaultValue("us-east-1") String region,
                                  Boolean provision,
                                  @DefaultValue("false") boolean fifo,
                                  @DefaultValue("") String namePrefix,
                                  @DefaultValue("outbox-event-$simple{header.ce_source}") String topicTemplate,
                                  @DefaultValue({"order", "payment"}) List<String> topics,
                                  Map<String, String> commands,
                                  @DefaultValue("5") int maxReceiveCount,
                                  @DefaultValue("10s") Duration apiCallTimeout) {

    /** Only a local AWS-API server may be given fixed test credentials; AWS gets the default credentials chain. */
    private static final List<String> LOCAL_HOSTS = List.of("localhost", "localstack", "fauxqs");

    public AwsBrokerProperties {
        commands = commands == null ? Map.of() : Map.copyOf(commands);
    }

    /** True when the endpoint is a server on this machine or a local container (LocalStack), not AWS. */
    public boolean localEndpoint() {
        if (endpoint == null || endpoint.getHost() == null) {
            return false;
        }
        String host = endpoint.getHost();
        if (LOCAL_HOSTS.contains(host) || host.endsWith(".localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public boolean provisioning() {
        return provision != null ? provision : localEndpoint();
    }

    /** AWS requires FIFO topic and queue names to end in .fifo. */
    String name(String base) {
        return namePrefix + base + (fifo ? ".fifo" : "");
    }

    String deadLetterQueue(String queue) {
        return name(queue + "-dlq");
    }
}
