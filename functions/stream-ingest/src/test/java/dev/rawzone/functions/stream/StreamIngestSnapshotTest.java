package dev.rawzone.functions.stream;

import dev.rawzone.testkit.snapshot.LambdaInit;
import org.junit.jupiter.api.Test;

import java.util.Map;

class StreamIngestSnapshotTest {
    @Test
    void initBuildsNothingASnapStartSnapshotMustNotHold() {
        StreamIngestHandler handler = LambdaInit.build(Map.of("RAW_BUCKET", "raw", "CHECKPOINT_TABLE", "checkpoints",
                "INGEST_CONFIG", "classpath:streams.json", "SCHEMA_LOCATION", "classpath:schemas",
                "PIPELINE_VERSION", "test", "POWERTOOLS_SERVICE_NAME", "stream-ingest",
                "POWERTOOLS_METRICS_NAMESPACE", "rawzone"),
                env -> new StreamIngestHandler(StreamIngestWiring.fromEnvironment(env)));

        LambdaInit.assertSnapshotSafe(handler);
    }
}
