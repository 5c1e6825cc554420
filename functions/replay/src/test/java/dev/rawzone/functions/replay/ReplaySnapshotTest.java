package dev.rawzone.functions.replay;

import dev.rawzone.testkit.snapshot.LambdaInit;
import org.junit.jupiter.api.Test;

import java.util.Map;

class ReplaySnapshotTest {
    @Test
    void initBuildsNothingASnapStartSnapshotMustNotHold() {
        ReplayHandler handler = LambdaInit.build(Map.ofEntries(Map.entry("RAW_BUCKET", "raw"),
                Map.entry("CHECKPOINT_TABLE", "checkpoints"), Map.entry("PULL_SOURCES", "ssm:/rawzone/pull-sources"),
                Map.entry("S3_DEAD_LETTER_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/s3-dlq"),
                Map.entry("STREAM_FAILURE_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/stream-dlq"),
                Map.entry("PULL_DEAD_LETTER_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/pull-dlq"),
                Map.entry("SCHEMA_LOCATION", "classpath:schemas"), Map.entry("PIPELINE_VERSION", "test"),
                Map.entry("POWERTOOLS_SERVICE_NAME", "replay"), Map.entry("POWERTOOLS_METRICS_NAMESPACE", "rawzone")),
                ReplayHandler::new);

        LambdaInit.assertSnapshotSafe(handler);
    }
}
