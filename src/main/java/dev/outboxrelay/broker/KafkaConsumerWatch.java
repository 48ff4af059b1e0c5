package dev.outboxrelay.broker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Creates the Kafka clients of Camel's kafka component and keeps watch on each consumer until it is closed: when
 * it last came back from {@code poll}. A consumer thread busy elsewhere for long (a hung send, a message that never
 * finishes) stops polling, and Kafka's own verdict on that comes only after max.poll.interval.ms (5 minutes);
 * this lets the health check say so at once.
 */
public class KafkaConsumerWatch extends DefaultKafkaClientFactory {

    private final Set<Watched> open = ConcurrentHashMap.newKeySet();

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        Consumer consumer = super.getConsumer(kafkaProps);
        Watched watched = new Watched(consumer, kafkaProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG, ""));
        open.add(watched);
        return (Consumer) Proxy.newProxyInstance(Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class},
                watched);
    }

    /** Per consumer group, the longest time one of its open consumers has gone without polling. */
    public Map<String, Duration> longestPollGapByGroup() {
        Map<String, Duration> gaps = new TreeMap<>();
        long now = System.nanoTime();
        for (Watched watched : open) {
            Duration gap = watched.polling ? Duration.ZERO : Duration.ofNanos(now - watched.lastPollEnded);
            gaps.merge(watched.group, gap, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return gaps;
    }

    private final class Watched implements InvocationHandler {

        private final Consumer<?, ?> target;
        private final String group;
        private volatile boolean polling;
        private volatile long lastPollEnded = System.nanoTime();

        Watched(Consumer<?, ?> target, String group) {
            this.target = target;
            this.group = group;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            boolean poll = method.getName().equals("poll");
            if (method.getName().equals("close")) {
                open.remove(this);
            }
            if (poll) {
                polling = true;
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (poll) {
                    lastPollEnded = System.nanoTime();
                    polling = false;
                }
            }
        }
    }
}
