package dev.outboxrelay.broker.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.BrokerOutageDrill;
import dev.outboxrelay.support.TcpProxy;
import dev.outboxrelay.support.TestAws;
import dev.outboxrelay.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SNS and SQS unreachable for 35 s while the shop takes 20 orders/s and the receivers on SQS are busy, then
 * reachable again: see {@link BrokerOutageDrill}. The server is cut off behind a proxy rather than stopped: fauxqs
 * keeps its queues in memory only, and a real SQS outage loses none.
 */
class AwsReceiversOutageIT {

    @Test
    void everyServiceResumesAfterSqsIsReachableAgainWithEachEffectOnce() throws Exception {
        try (TcpProxy aws = new TcpProxy(TestAws.endpoint())) {
            List<String> args = new ArrayList<>(TestAws.appArgs(aws.endpoint(), TestAws.namePrefix()));
            args.addAll(List.of(
                    "--spring.datasource.url=" + TestPostgres.newDatabase("aws_receivers_outage_it"),
                    "--spring.datasource.username=postgres",
                    "--outbox.aws.api-call-timeout=3s",
                    // the relay's own backoff after the outage (up to 2 min by default) is not under test here
                    "--outbox.relay.backoff.max=2s"));
            ConfigurableApplicationContext app = new SpringApplicationBuilder(OutboxRelayApplication.class)
                    .run(args.toArray(String[]::new));
            // a message whose delete failed in the outage comes back after the visibility timeout (60 s)
            BrokerOutageDrill.run(app, 20, Duration.ofSeconds(35), aws::cut, aws::open, Duration.ofSeconds(120));
        }
    }
}
