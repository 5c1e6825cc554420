package dev.rawzone.functions.pull;

import dev.rawzone.testkit.snapshot.LambdaInit;
import org.junit.jupiter.api.Test;

import java.util.Map;

class PullIngestSnapshotTest {
    @Test
    void initBuildsNothingASnapStartSnapshotMustNotHold() {
        PullIngestHandler handler = LambdaInit.build(Map.of("RAW_BUCKET", "raw", "CHECKPOINT_TABLE", "checkpoints",
                "PULL_SOURCES", "ssm:/rawzone/pull-sources", "PULL_TIME_RESERVE_MS", "20000",
                "SCHEMA_LOCATION", "classpath:schemas", "PIPELINE_VERSION", "test",
                "POWERTOOLS_SERVICE_NAME", "pull-ingest", "POWERTOOLS_METRICS_NAMESPACE", "rawzone"),
                PullIngestHandler::new);

        LambdaInit.assertSnapshotSafe(handler);
    }
}
