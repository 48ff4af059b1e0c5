package dev.outboxrelay.broker;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded broker's actors run on one thread (application.conf): ElasticMQ's storage actor and its queue
 * actors touch the same messages, and on two threads at once its writes to the H2 file failed now and then. The
 * actor system is made as ElasticMQ makes its own (by name, from the application's configuration), with actors at
 * the depths of ElasticMQ's: the storage and the queue manager under the root, the queues under the manager.
 */
class EmbeddedBrokerThreadTest {

    private static final Duration ANSWER = Duration.ofSeconds(10);

    @Test
    void theStorageTheQueueManagerAndItsQueuesAllRunOnTheBrokersOneThread() throws Exception {
        ActorSystem system = ActorSystem.create("elasticmq");
        try {
            ActorRef storage = system.actorOf(Props.create(ThreadTeller.class));
            ActorRef queueManager = system.actorOf(Props.create(ThreadTeller.class));
            ActorRef queue = (ActorRef) answer(Patterns.ask(queueManager, ThreadTeller.START_CHILD, ANSWER));

            String storageThread = (String) answer(Patterns.ask(storage, ThreadTeller.WHERE, ANSWER));
            assertThat(storageThread).startsWith("elasticmq-embedded-broker-dispatcher-");
            assertThat(answer(Patterns.ask(queueManager, ThreadTeller.WHERE, ANSWER))).isEqualTo(storageThread);
            assertThat(answer(Patterns.ask(queue, ThreadTeller.WHERE, ANSWER))).isEqualTo(storageThread);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Object answer(CompletionStage<Object> asked) throws Exception {
        return asked.toCompletableFuture().get(ANSWER.toSeconds(), TimeUnit.SECONDS);
    }

    /** Answers the name of the thread it runs on, or starts a child of its own and answers it. */
    static class ThreadTeller extends AbstractActor {

        static final String WHERE = "where";
        static final String START_CHILD = "start a child";

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals(WHERE, ignored -> getSender().tell(Thread.currentThread().getName(), getSelf()))
                    .matchEquals(START_CHILD, ignored -> getSender().tell(
                            getContext().actorOf(Props.create(ThreadTeller.class)), getSelf()))
                    .build();
        }
    }
}
