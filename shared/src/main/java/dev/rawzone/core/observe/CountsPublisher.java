package dev.rawzone.core.observe;

import dev.rawzone.core.accounting.Counts;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.Map;

/**
 * Emits an invocation's figures as CloudWatch metrics in Embedded Metric Format (log lines, no API call): one line
 * per dataset, each under two dimension sets, {@code [service]} and {@code [service, dataset]}, so that an alarm per
 * function sums every dataset without naming them. Records in no dataset go on one more line under {@code [service]}
 * alone, and so do an invocation's zero counts when it had no records at all.
 */
public final class CountsPublisher {
    private final Metrics metrics;
    private final String service;

    /** With {@code metrics} as {@link FunctionMetrics} builds them, the service their default dimension. */
    public CountsPublisher(Metrics metrics) {
        this.metrics = metrics;
        this.service = metrics.getDefaultDimensions().getDimensionValue("service");
    }

    public static CountsPublisher fromEnvironment(Map<String, String> env, String defaultService) {
        return new CountsPublisher(FunctionMetrics.of(env, defaultService));
    }

    public void publish(InvocationFigures figures) {
        for (DatasetFigures dataset : figures.datasets()) {
            // beside the default [service] set, not instead of it
            metrics.addDimension(DimensionSet.of("service", service, "dataset", dataset.dataset()));
            flush(dataset);
        }
        if (figures.datasets().isEmpty() || !figures.withoutDataset().isEmpty()) {
            flush(figures.withoutDataset());
        }
    }

    private void flush(DatasetFigures figures) {
        add(figures.counts(), figures.written());
        figures.others().forEach((name, figure) -> metrics.addMetric(name, figure.value(), figure.unit()));
        metrics.flush();
    }

    private void add(Counts counts, WrittenVolume written) {
        metrics.addMetric("RecordsIn", counts.in(), MetricUnit.COUNT);
        metrics.addMetric("RecordsWritten", counts.written(), MetricUnit.COUNT);
        metrics.addMetric("RecordsQuarantined", counts.quarantined(), MetricUnit.COUNT);
        metrics.addMetric("RecordsDuplicate", counts.duplicates(), MetricUnit.COUNT);
        metrics.addMetric("RecordsFailed", counts.failed(), MetricUnit.COUNT);
        metrics.addMetric("BytesWritten", written.bytes(), MetricUnit.BYTES);
        metrics.addMetric("PartsWritten", written.parts(), MetricUnit.COUNT);
    }
}
