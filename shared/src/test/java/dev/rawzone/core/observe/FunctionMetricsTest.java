package dev.rawzone.core.observe;

import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FunctionMetricsTest {
    @Test
    void theEmfLibraryIsToldTheServiceSoItDoesNotWarnOfAnUnknownOneOnEveryFlushOutsideLambda() {
        EnvironmentConfigurationProvider.getConfig().setServiceName(null);

        FunctionMetrics.of(Map.of("POWERTOOLS_SERVICE_NAME", "pull-ingest"), "fallback");

        assertEquals(Optional.of("pull-ingest"), EnvironmentConfigurationProvider.getConfig().getServiceName());
    }

    @Test
    void namesComeFromThePowertoolsVariablesOrTheDefaults() {
        assertEquals("rawzone", FunctionMetrics.namespace(Map.of()));
        assertEquals("ns", FunctionMetrics.namespace(Map.of("POWERTOOLS_METRICS_NAMESPACE", "ns")));
        assertEquals("s3-ingest", FunctionMetrics.service(Map.of(), "s3-ingest"));
    }
}
