package dev.outboxrelay.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromQlTest {

    @Test
    void aBareSelectorIsItsName() {
        assertThat(PromQl.metricNames("outbox_pending_events")).containsExactly("outbox_pending_events");
    }

    @Test
    void functionsAggregationsAndTheirLabelListsAreNotMetrics() {
        assertThat(PromQl.metricNames(
                "sum by (service) (rate(receiver_events_processed_total{service=~\"a|b\", job!=\"x\"}[5m]))"))
                .containsExactly("receiver_events_processed_total");
        assertThat(PromQl.metricNames("sum without(instance) (a) / ignoring (le) group_left (service) b"))
                .containsExactly("a", "b");
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le) (rate(h_seconds_bucket[$__rate_interval])))"))
                .containsExactly("h_seconds_bucket");
        assertThat(PromQl.metricNames("topk(3, x) or on() count_values(\"v\", y) unless z"))
                .containsExactly("x", "y", "z");
    }

    @Test
    void numbersDurationsStringsAndVariablesAreNotMetrics() {
        assertThat(PromQl.metricNames("max(age_seconds) > 1.5e2 and x offset 1h30m >= bool 0x1f"))
                .containsExactly("age_seconds", "x");
        assertThat(PromQl.metricNames("label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")"))
                .containsExactly("up");
        assertThat(PromQl.metricNames("increase(c_total{service=\"$service\", a=\"}\"}[${__range}]) * $factor"))
                .containsExactly("c_total");
        assertThat(PromQl.metricNames("# a comment naming not_a_metric\nrecorded:rate5m == Inf"))
                .containsExactly("recorded:rate5m");
    }

    @Test
    void anUnclosedMatcherIsRefused() {
        assertThatThrownBy(() -> PromQl.metricNames("x{job=\"a\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no closing }");
    }
}
