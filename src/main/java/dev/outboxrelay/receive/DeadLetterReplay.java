package dev.outboxrelay.receive;

import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a service's dead letters back to its input (its {@code input} endpoint in the catalogue) after a fix,
 * without the error headers: from a queue until none arrives within the receive timeout, from a Kafka topic the
 * letters it held when the replay started ({@link KafkaDeadLetterReplay}). The DLQ is the service's dead-letter
 * endpoint. The idempotent consumer makes a replay safe to repeat: a letter whose event was applied in the meantime
 * is skipped as a duplicate.
 */
public class DeadLetterReplay {

    /** Marks the letters one replay call sent, so that one failing straight back is recognised. */
    static final String REPLAY_RUN = "dlq_replay_run";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final CamelContext camel;
    private final ReceiverCatalogue catalogue;
    private final ReceiverProperties.Replay settings;

    DeadLetterReplay(CamelContext camel, ReceiverCatalogue catalogue, ReceiverProperties.Replay settings) {
        this.camel = camel;
        this.catalogue = catalogue;
        this.settings = settings;
    }

    /** Answers how many dead letters were moved. */
    public synchronized int replay(String service) {
        ReceiverCatalogue.ReceivingService receiving = catalogue.service(service).orElseThrow(() ->
                new IllegalArgumentException("no receiving service " + service));
        String deadLetters = receiving.deadLetter();
        String input = receiving.input();
        ProducerTemplate producer = camel.createProducerTemplate();
        try {
            return camel.getEndpoint(deadLetters) instanceof KafkaEndpoint kafka
                    ? new KafkaDeadLetterReplay(kafka, producer, settings).replay(service, input)
                    : replayQueue(service, deadLetters, input, producer);
        } finally {
            producer.stop();
        }
    }

    /**
     * A queue (SQS, the embedded broker) deletes a letter when its unit of work completes without failure, after
     * the send; a letter whose unit of work failed becomes visible again after the queue's visibility timeout.
     */
    private int replayQueue(String service, String deadLetters, String input, ProducerTemplate producer) {
        // a template of its own, stopped at the end, so that no consumer keeps reading the DLQ after the replay
        ConsumerTemplate consumer = camel.createConsumerTemplate();
        String run = UUID.randomUUID().toString();
        int moved = 0;
        try {
            while (moved < settings.maxMessages()) {
                Exchange letter = consumer.receive(deadLetters, settings.receiveTimeout().toMillis());
                if (letter == null) {
                    break;
                }
                try {
                    if (run.equals(letter.getMessage().getHeader(REPLAY_RUN))) {
                        // replayed by this very call and failed again: the cause is not fixed; it stays in the DLQ
                        // (its unit of work completes as failed) rather than going round until maxMessages
                        letter.setException(new IllegalStateException("failed again in the same replay"));
                        log.warn("replay of {} stopped: dead letter {} failed again", service,
                                letter.getMessage().getHeader("ce_id"));
                        break;
                    }
                    letter.getMessage().removeHeaders("dlq_*");
                    letter.getMessage().setHeader(REPLAY_RUN, run);
                    Exchange sent = producer.send(input, letter.copy());
                    if (sent.getException() != null) {
                        // the letter stays in the DLQ: its unit of work completes as failed
                        letter.setException(sent.getException());
                        throw new IllegalStateException("replay of " + service + " stopped after " + moved
                                + " letters: " + sent.getException().getMessage(), sent.getException());
                    }
                    moved++;
                    log.info("replayed {} dead letter {} ({}) to {}", service,
                            letter.getMessage().getHeader("ce_id"), moved, input);
                } finally {
                    consumer.doneUoW(letter);
                }
            }
        } finally {
            consumer.stop();
        }
        return moved;
    }
}
