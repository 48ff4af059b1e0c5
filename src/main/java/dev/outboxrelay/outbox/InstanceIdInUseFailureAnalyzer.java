package dev.outboxrelay.outbox;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Puts a refused instance id at the top of the start-up failure report, instead of deep in a stack trace. */
class InstanceIdInUseFailureAnalyzer extends AbstractFailureAnalyzer<InstanceIdInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InstanceIdInUseException cause) {
        return new FailureAnalysis(cause.description(), InstanceIdInUseException.ACTION, cause);
    }
}
