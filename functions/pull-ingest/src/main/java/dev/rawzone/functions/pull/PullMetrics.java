package dev.rawzone.functions.pull;

import dev.rawzone.core.observe.CountsPublisher;
import dev.rawzone.core.observe.InvocationFigures;
import dev.rawzone.core.pull.SourceReport;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The invocation's metrics as EMF log lines: the record counts, parts written and pages pulled per dataset (as every
 * function, see {@link CountsPublisher}), then per source its checkpoint age (time since a page was last committed: it grows while a source
 * keeps failing or is throttled, which is what its alarm watches) and whether it failed.
 */
final class PullMetrics {
    private final Metrics metrics;
    private final CountsPublisher counts;
    private final String namespace;
    private final String service;

    PullMetrics(Metrics metrics, String namespace, String service) {
        this.metrics = metrics;
        this.counts = new CountsPublisher(metrics);
        this.namespace = namespace;
        this.service = service;
    }

    void publish(PullReport report, Function<SourceReport, Optional<Duration>> checkpointAge) {
        for (SourceReport source : report.sources()) {
            DimensionSet dimensions = DimensionSet.of("service", service, "source", source.source());
            checkpointAge.apply(source).ifPresent(age -> metrics.flushSingleMetric("CheckpointAgeSeconds",
                    age.toSeconds(), MetricUnit.SECONDS, namespace, dimensions));
            metrics.flushSingleMetric("SourceFailed", source.failed() ? 1 : 0, MetricUnit.COUNT, namespace, dimensions);
        }
        InvocationFigures figures = new InvocationFigures();
        for (SourceReport source : report.sources()) {
            figures.dataset(source.dataset()).add(source.counts()).add(source.written())
                    .sum("PagesPulled", source.pages(), MetricUnit.COUNT);
        }
        counts.publish(figures);
    }
}
