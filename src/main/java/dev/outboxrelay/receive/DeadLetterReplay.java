package dev.outboxrelay.receive;

import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * Moves a service's dead letters back to its input ({@code receivers.<service>.replay}) after a fix, without the
 * error headers, until its DLQ ({@code receivers.<service>.dead-letter}) has none left. The idempotent consumer makes
 * a replay safe to repeat: a letter whose event was applied in the meantime is skipped as a duplicate.
 */
public class DeadLetterReplay {

    /** Marks the letters one replay call sent, so that one failing straight back is recognised. */
    static final String REPLAY_RUN = "dlq_replay_run";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final CamelContext camel;
    private final Environment environment;
    private final ReceivedEvents receivedEvents;
    private final ReceiverProperties.Replay settings;

    DeadLetterReplay(CamelContext camel, Environment environment, ReceivedEvents receivedEvents,
                     ReceiverProperties.Replay settings) {
        this.camel = camel;
        this.environment = environment;
        this.receivedEvents = receivedEvents;
        this.settings = settings;
    }

    /** Answers how many dead letters were moved. */
    public synchronized int replay(String service) {
        String deadLetters = environment.getRequiredProperty("receivers." + service + ".dead-letter");
        String input = environment.getRequiredProperty("receivers." + service + ".replay");
        // a template of its own, stopped at the end, so that no consumer keeps reading the DLQ after the replay
        ConsumerTemplate consumer = camel.createConsumerTemplate();
        ProducerTemplate producer = camel.createProducerTemplate();
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
                    receivedEvents.acknowledge(letter);
                    moved++;
                    log.info("replayed {} dead letter {} ({}) to {}", service,
                            letter.getMessage().getHeader("ce_id"), moved, input);
                } finally {
                    consumer.doneUoW(letter);
                }
            }
        } finally {
            stop(consumer, producer);
        }
        return moved;
    }

    private static void stop(ConsumerTemplate consumer, ProducerTemplate producer) {
        try {
            consumer.stop();
        } finally {
            producer.stop();
        }
    }
}
