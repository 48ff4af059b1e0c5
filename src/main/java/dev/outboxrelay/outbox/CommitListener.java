package dev.outboxrelay.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-on-commit on PostgreSQL: listens on channel {@code outbox_event}, which the insert trigger notifies at each
 * commit, and wakes the relay. It holds a connection of its own, outside the pool. Should the connection drop, it
 * reconnects with backoff; meanwhile the relay keeps polling, so a missed notification only costs a poll interval.
 */
class CommitListener implements Runnable {

    static final String CHANNEL = "outbox_event";
    private static final Logger log = LoggerFactory.getLogger(CommitListener.class);
    private static final int WAIT_MILLIS = 1000;

    private final String url;
    private final String username;
    private final String password;
    private final RelayWakeUp wakeUp;
    private volatile boolean running = true;
    private Thread thread;

    CommitListener(String url, String username, String password, RelayWakeUp wakeUp) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.wakeUp = wakeUp;
    }

    void start() {
        thread = new Thread(this, "outbox-commit-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(WAIT_MILLIS * 3L);
        }
    }

    @Override
    public void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, username, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                log.info("Relay wakes on commit (LISTEN {})", CHANNEL);
                backoff = Duration.ofSeconds(1);
                // notifications that came while it was not listening are covered by this wake-up
                wakeUp.signal();
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
                    if (received != null && received.length > 0) {
                        wakeUp.signal();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("Wake-on-commit connection lost, relay polls until it is back (retry in {}): {}",
                            backoff, e.getMessage());
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                            ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
                }
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
