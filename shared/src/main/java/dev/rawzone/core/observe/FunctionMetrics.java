package dev.rawzone.core.observe;

import software.amazon.cloudwatchlogs.emf.config.Configuration;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;

import java.util.Map;

/**
 * A function's Powertools metrics (Embedded Metric Format), named by {@code POWERTOOLS_METRICS_NAMESPACE} (default
 * {@code rawzone}) and {@code POWERTOOLS_SERVICE_NAME}, with {@code service} as a dimension.
 */
public final class FunctionMetrics {
    private FunctionMetrics() {
    }

    public static String namespace(Map<String, String> env) {
        return env.getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "rawzone");
    }

    public static String service(Map<String, String> env, String defaultService) {
        return env.getOrDefault("POWERTOOLS_SERVICE_NAME", defaultService);
    }

    public static Metrics of(Map<String, String> env, String defaultService) {
        String service = service(env, defaultService);
        Configuration emf = EnvironmentConfigurationProvider.getConfig();
        if (emf.getServiceName().isEmpty()) {
            // outside Lambda (tests, ./ingest) the EMF library cannot tell the service and warns on every flush
            emf.setServiceName(service);
        }
        return MetricsBuilder.builder().withNamespace(namespace(env)).withService(service)
                .withDefaultDimensions(DimensionSet.of("service", service)).build();
    }
}
