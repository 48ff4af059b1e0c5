package dev.outboxrelay.broker.aws;

import dev.outboxrelay.broker.SqsDeadLetterDepth;
import dev.outboxrelay.receive.DeadLetterDepth;
import dev.outboxrelay.receive.ReceiverCatalogue;
import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code outbox.broker=aws}: the SNS and SQS clients (Camel's aws2-sns and aws2-sqs endpoints, of the publish-aws
 * route and of the receiving routes, pick up the single {@link SnsClient} and {@link SqsClient} beans by themselves),
 * the topology (a queue per receiving service of the catalogue), and the steps of the publish-aws route.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "outbox.broker", havingValue = "aws")
class AwsBrokerConfiguration {

    @Bean(destroyMethod = "close")
    SnsClient snsClient(AwsBrokerProperties settings) {
        return configure(SnsClient.builder(), settings).build();
    }

    @Bean(destroyMethod = "close")
    SqsClient sqsClient(AwsBrokerProperties settings) {
        return configure(SqsClient.builder(), settings).build();
    }

    @Bean(initMethod = "start")
    AwsTopology awsTopology(AwsBrokerProperties settings, ReceiverCatalogue receivers, SnsClient sns, SqsClient sqs,
                            CamelContext camel) {
        return new AwsTopology(settings, receivers.subscriptions(), sns, sqs, camel);
    }

    /** A service's DLQ is the one the topology created or checked for its queue (the redrive target). */
    @Bean
    DeadLetterDepth awsDeadLetterDepth(SqsClient sqs, AwsTopology topology) {
        return new SqsDeadLetterDepth(sqs, service -> topology.deadLetterQueue(service.name()));
    }

    @Bean
    AwsPublisher awsPublisher(AwsTopology topology, AwsBrokerProperties settings) {
        return new AwsPublisher(topology, settings);
    }

    @Bean
    HealthIndicator brokerHealthIndicator(SnsClient sns, SqsClient sqs, AwsBrokerProperties settings) {
        return () -> {
            Health.Builder health = Health.unknown().withDetail("type", "aws").withDetail("region", settings.region())
                    .withDetail("endpoint", settings.endpoint() == null ? "AWS" : settings.endpoint().toString());
            try {
                int topics = sns.listTopics().topics().size();
                int queues = sqs.listQueues(b -> b.queueNamePrefix(settings.namePrefix())).queueUrls().size();
                return health.up().withDetail("topics", topics).withDetail("queues", queues).build();
            } catch (RuntimeException e) {
                return health.down(e).build();
            }
        };
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsBrokerProperties settings) {
        builder.region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .overrideConfiguration(o -> o.apiCallTimeout(settings.apiCallTimeout()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder;
    }

    /** A local AWS-API server checks no signature; anything else gets the default chain (env, profile, role). */
    private static AwsCredentialsProvider credentials(AwsBrokerProperties settings) {
        return settings.localEndpoint()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))
                : DefaultCredentialsProvider.builder().build();
    }
}
