package dev.rawzone.functions.s3;

import dev.rawzone.testkit.snapshot.LambdaInit;
import org.junit.jupiter.api.Test;

import java.util.Map;

class S3IngestSnapshotTest {
    @Test
    void initBuildsNothingASnapStartSnapshotMustNotHold() {
        S3IngestHandler handler = LambdaInit.build(Map.of("RAW_BUCKET", "raw", "INGEST_CONFIG", "classpath:ingest.json",
                "SCHEMA_LOCATION", "classpath:schemas", "PIPELINE_VERSION", "test",
                "POWERTOOLS_SERVICE_NAME", "s3-ingest", "POWERTOOLS_METRICS_NAMESPACE", "rawzone"), S3IngestHandler::new);

        LambdaInit.assertSnapshotSafe(handler);
    }
}
