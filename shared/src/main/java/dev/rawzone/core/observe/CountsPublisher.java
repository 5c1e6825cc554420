package dev.rawzone.core.observe;

import dev.rawzone.core.accounting.Counts;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.Map;

/** Emits an invocation's counts as CloudWatch metrics in Embedded Metric Format (one log line, no API call). */
public final class CountsPublisher {
    private final Metrics metrics;

    public CountsPublisher(Metrics metrics) {
        this.metrics = metrics;
    }

    public static CountsPublisher fromEnvironment(Map<String, String> env, String defaultService) {
        String service = env.getOrDefault("POWERTOOLS_SERVICE_NAME", defaultService);
        return new CountsPublisher(MetricsBuilder.builder()
                .withNamespace(env.getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "rawzone"))
                .withService(service)
                .withDefaultDimensions(DimensionSet.of("service", service))
                .build());
    }

    public void publish(Counts counts) {
        metrics.addMetric("RecordsIn", counts.in(), MetricUnit.COUNT);
        metrics.addMetric("RecordsWritten", counts.written(), MetricUnit.COUNT);
        metrics.addMetric("RecordsQuarantined", counts.quarantined(), MetricUnit.COUNT);
        metrics.addMetric("RecordsDuplicate", counts.duplicates(), MetricUnit.COUNT);
        metrics.addMetric("RecordsFailed", counts.failed(), MetricUnit.COUNT);
        metrics.flush();
    }
}
