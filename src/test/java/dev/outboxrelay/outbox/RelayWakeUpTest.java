package dev.outboxrelay.outbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayWakeUpTest {

    @Test
    void aCommitSignalledWhileTheRelayWasBusyWakesItAtOnce() {
        RelayWakeUp wakeUp = new RelayWakeUp(true);
        wakeUp.signal();

        long started = System.nanoTime();
        assertThat(wakeUp.await(Duration.ofSeconds(30), () -> false)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        // the signal is used up: the next wait runs out
        assertThat(wakeUp.await(Duration.ofMillis(50), () -> false)).isFalse();
    }

    @Test
    void withoutWakeOnCommitTheIdleWaitEndsAtOnceAndTheBusyPauseLastsItsWholeInterval() {
        RelayWakeUp polling = new RelayWakeUp(false);
        assertThat(polling.await(Duration.ofSeconds(30), () -> false)).isFalse();

        long started = System.nanoTime();
        polling.pause(Duration.ofMillis(200), () -> false);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aCommitEndsTheBusyPauseEarly() throws InterruptedException {
        RelayWakeUp wakeUp = new RelayWakeUp(true);
        Thread committer = new Thread(() -> {
            sleep(100);
            wakeUp.signal();
        });
        committer.start();

        long started = System.nanoTime();
        wakeUp.pause(Duration.ofSeconds(30), () -> false);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        committer.join();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
