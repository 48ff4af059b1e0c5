package dev.outboxrelay.receive;

import dev.outboxrelay.OutboxRelayApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application, except that the JVM halts (as under SIGKILL) right after the receiving transaction of the event
 * named by {@code -Dcrash.after-commit-of=<event id>} committed, before the message is acknowledged.
 */
public class CrashAfterCommitApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(OutboxRelayApplication.class, CrashHook.class)
                .properties("spring.main.allow-bean-definition-overriding=true").run(args);
    }

    /** Not a {@code @Configuration}: component scanning of the other tests' applications must not find it. */
    static class CrashHook {

        @Bean
        ReceiverTransaction receiverTransaction(TransactionTemplate transactions, CamelContext camel) {
            String eventId = System.getProperty("crash.after-commit-of");
            return new ReceiverTransaction(transactions, camel.createProducerTemplate()) {
                @Override
                public void apply(String uri, Exchange exchange) {
                    super.apply(uri, exchange);
                    if (eventId.equals(exchange.getMessage().getHeader("ce_id"))) {
                        Runtime.getRuntime().halt(137);
                    }
                }
            };
        }
    }
}
