package dev.outboxrelay.receive;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/** Forgets applied event ids older than {@code receivers.idempotency.retention}, every purge interval. */
class IdempotencyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyPurge.class);

    private final JdbcTemplate jdbc;
    private final ReceiverProperties.Idempotency settings;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "idempotency-purge");
        thread.setDaemon(true);
        return thread;
    });

    IdempotencyPurge(JdbcTemplate jdbc, ReceiverProperties.Idempotency settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    void start() {
        long interval = settings.purgeInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::purgeLogged, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop() {
        scheduler.shutdownNow();
    }

    /** Answers how many ids were forgotten. */
    int purge() {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(settings.retention()));
        return jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE createdAt < ?", cutoff);
    }

    private void purgeLogged() {
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("forgot {} applied event ids older than {}", purged, settings.retention());
            }
        } catch (RuntimeException e) {
            // the next run tries again; an old id kept a little longer does no harm
            log.warn("purging old idempotency records failed: {}", e.getMessage());
        }
    }
}
