package dev.outboxrelay.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long {@code outbox_event} keeps the rows the relay is done with, and how they are purged: in statements of
 * at most {@code batchSize} rows with a pause between them, by one relay instance at a time.
 *
 * @param published how long a PUBLISHED row is kept after {@code published_at}, and a SKIPPED row after
 *                  {@code skipped_at}; zero keeps them forever. PENDING and FAILED rows are never purged
 * @param batchSize rows one DELETE removes at most: a short statement, few locks, a small transaction
 * @param pause     wait between two DELETEs, so that a large purge leaves the database to the relay in between
 * @param interval  how often the purge looks for rows past the retention
 */
@ConfigurationProperties("outbox.retention")
public record RetentionProperties(@DefaultValue("7d") Duration published,
                                  @DefaultValue("5000") int batchSize,
                                  @DefaultValue("100ms") Duration pause,
                                  @DefaultValue("1m") Duration interval) {

    public RetentionProperties {
        if (published.isNegative()) {
            throw new IllegalArgumentException("outbox.retention.published must be 0 (keep rows forever) or a"
                    + " positive duration such as 7d, not " + published);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("outbox.retention.batch-size must be at least 1, not " + batchSize);
        }
        if (pause.isNegative()) {
            throw new IllegalArgumentException("outbox.retention.pause must not be negative, not " + pause);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("outbox.retention.interval must be positive, not " + interval);
        }
    }

    /** Retention 0: no row is ever purged. */
    boolean keepsForever() {
        return published.isZero();
    }
}
