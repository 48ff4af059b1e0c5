package dev.outboxrelay.broker.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What AWS would refuse is found before sending, with the reason; what fits is sent as it is. */
class AwsMessagesTest {

    @Test
    void theCloudEventsAttributesAndRowHeadersBecomeAttributesButNotTheConstants() {
        Message message = event("{\"n\":1}", Map.of("traceparent", "00-abc-01"));
        assertThat(AwsMessages.attributes(message)).containsOnlyKeys("ce_id", "ce_type", "ce_source", "ce_subject",
                "ce_time", "traceparent");
        assertThat(problem(message, true)).isNull();
    }

    @Test
    void moreThanTenAttributesIsRefusedNamingThem() {
        Message message = event("{}", Map.of("h1", "1", "h2", "2", "h3", "3", "h4", "4", "h5", "5", "h6", "6"));
        assertThat(problem(message, false)).contains("11 message attributes", "at most 10", "h6");
    }

    @Test
    void aPayloadOver256KbIsRefusedWithItsSize() {
        Message message = event("\"" + "x".repeat(262_144) + "\"", Map.of());
        assertThat(problem(message, false)).contains("at most 262144 bytes", "bytes (payload and attributes)");
    }

    @Test
    void invalidAttributeNamesAndEmptyValuesAreRefused() {
        assertThat(problem(event("{}", Map.of("bad name", "x")), false)).contains("'bad name'");
        assertThat(problem(event("{}", Map.of("empty", "")), false)).contains("'empty' is empty");
    }

    @Test
    void fixedCredentialsOnlyForALocalEndpoint() {
        assertThat(settings(null).localEndpoint()).isFalse();
        assertThat(settings(null).provisioning()).isFalse();
        assertThat(settings(URI.create("http://localhost:4566")).provisioning()).isTrue();
        assertThat(settings(URI.create("http://127.0.0.1:4566")).localEndpoint()).isTrue();
        assertThat(settings(URI.create("http://localstack:4566")).localEndpoint()).isTrue();
        assertThat(settings(URI.create("https://sns.eu-west-1.amazonaws.com")).localEndpoint()).isFalse();
    }

    private static String problem(Message message, boolean fifo) {
        return AwsMessages.problem(message, AwsMessages.size(message), fifo);
    }

    private static AwsBrokerProperties settings(URI endpoint) {
        return new AwsBrokerProperties(endpoint, "us-east-1", null, false, "", "t", List.of("order"), null, 5,
                Duration.ofSeconds(10));
    }

    private static Message event(String payload, Map<String, String> rowHeaders) {
        Message message = new DefaultExchange(new DefaultCamelContext()).getIn();
        message.setHeader("ce_specversion", "1.0");
        message.setHeader("ce_id", "6f1c1f2e-0000-4000-8000-000000000001");
        message.setHeader("ce_type", "order.placed");
        message.setHeader("ce_source", "order");
        message.setHeader("ce_subject", "o-1");
        message.setHeader("ce_time", "2026-11-27T00:00:00Z");
        message.setHeader("content-type", "application/json");
        rowHeaders.forEach(message::setHeader);
        message.setBody(payload);
        return message;
    }
}
