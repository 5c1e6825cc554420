package dev.rawzone.core.observe;

import dev.rawzone.core.accounting.Counts;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.Map;

/** Emits an invocation's counts as CloudWatch metrics in Embedded Metric Format (one log line, no API call). */
public final class CountsPublisher {
    private final Metrics metrics;

    public CountsPublisher(Metrics metrics) {
        this.metrics = metrics;
    }

    public static CountsPublisher fromEnvironment(Map<String, String> env, String defaultService) {
        return new CountsPublisher(FunctionMetrics.of(env, defaultService));
    }

    public void publish(Counts counts) {
        add(counts);
        metrics.flush();
    }

    /** The counts, and how many source units the invocation stopped before their end for a next one to go on. */
    public void publish(Counts counts, long continued) {
        add(counts);
        metrics.addMetric("Continuations", continued, MetricUnit.COUNT);
        metrics.flush();
    }

    private void add(Counts counts) {
        metrics.addMetric("RecordsIn", counts.in(), MetricUnit.COUNT);
        metrics.addMetric("RecordsWritten", counts.written(), MetricUnit.COUNT);
        metrics.addMetric("RecordsQuarantined", counts.quarantined(), MetricUnit.COUNT);
        metrics.addMetric("RecordsDuplicate", counts.duplicates(), MetricUnit.COUNT);
        metrics.addMetric("RecordsFailed", counts.failed(), MetricUnit.COUNT);
    }
}
