package dev.outboxrelay.broker;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Kafka's refusals of the record itself are permanent; whatever a later attempt or an operator can cure is not. */
class KafkaPermanentErrorsTest {

    private final KafkaPermanentErrors permanent = new KafkaPermanentErrors();

    @Test
    void theRecordRefusedIsPermanentAlsoAsACause() {
        assertThat(permanent.test(new RecordTooLargeException("larger than max.request.size"))).isTrue();
        assertThat(permanent.test(new RecordBatchTooLargeException("batch"))).isTrue();
        assertThat(permanent.test(new InvalidTopicException("Invalid topics: [outbox.event.a b]"))).isTrue();
        assertThat(permanent.test(new InvalidRecordException("compacted topic without key"))).isTrue();
        assertThat(permanent.test(new KafkaException("send failed", new RecordTooLargeException("too large")))).isTrue();
    }

    @Test
    void outagesAuthorizationAndProducerOrBrokerStateKeepBackingOff() {
        assertThat(permanent.test(new TimeoutException("Topic not present in metadata after 5000 ms"))).isFalse();
        assertThat(permanent.test(new NetworkException("disconnected"))).isFalse();
        assertThat(permanent.test(new NotLeaderOrFollowerException("moving"))).isFalse();
        assertThat(permanent.test(new UnknownTopicOrPartitionException("not yet"))).isFalse();
        assertThat(permanent.test(new TopicAuthorizationException("no ACL"))).isFalse();
        assertThat(permanent.test(new SaslAuthenticationException("bad password"))).isFalse();
        assertThat(permanent.test(new UnknownServerException("broker bug"))).isFalse();
        assertThat(permanent.test(new UnknownProducerIdException("expired"))).isFalse();
        assertThat(permanent.test(new IllegalStateException("producer closed"))).isFalse();
    }
}
