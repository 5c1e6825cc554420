package dev.rawzone.core.observe;

import software.amazon.cloudwatchlogs.emf.config.Configuration;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;

import java.util.Map;

/**
 * A function's Powertools metrics (Embedded Metric Format), named by {@code POWERTOOLS_METRICS_NAMESPACE} (default
 * {@code rawzone}) and {@code POWERTOOLS_SERVICE_NAME}, with {@code service} as a dimension.
 *
 * <p>Outside Lambda (tests, the simulation) the lines go to stdout, as in Lambda: left to itself, the EMF library
 * would probe the EC2 and ECS metadata endpoints and then send them to a CloudWatch agent's socket that is not
 * there. {@code AWS_EMF_ENVIRONMENT} still chooses otherwise.
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
        if (!env.containsKey("AWS_LAMBDA_FUNCTION_NAME") && emf.getEnvironmentOverride() == Environments.Unknown) {
            emf.setEnvironmentOverride(Environments.Local);
        }
        return MetricsBuilder.builder().withNamespace(namespace(env)).withService(service)
                .withDefaultDimensions(DimensionSet.of("service", service)).build();
    }
}
