package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.invoke.Counts;
import dev.rawzone.runner.invoke.Invocation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * S3 push: puts the {@link SampleData} objects into the landing bucket, builds for each the S3 event S3 would send
 * (URL-encoded key, eTag, size, versionId, sequencer, all from the PutObject answers), invokes S3IngestFunction on each,
 * then delivers the first event a second time, as S3's at-least-once delivery may.
 */
public final class S3PushStep implements DemoStep {
    public static final String FUNCTION = "S3IngestFunction";
    public static final String LANDING_BUCKET = "LandingBucket";

    @Override
    public String title() {
        return "S3 push: sample objects into the landing bucket, an S3 event for each, one delivered twice";
    }

    @Override
    public List<String> requires() {
        return List.of(FUNCTION, LANDING_BUCKET);
    }

    @Override
    public void run(DemoContext demo) {
        String bucket = demo.name(LANDING_BUCKET);
        List<String> keys = new ArrayList<>();
        List<ObjectNode> events = new ArrayList<>();
        for (SampleData.SampleObject sample : SampleData.objects()) {
            PutObjectResponse put = demo.aws().s3().putObject(p -> p.bucket(bucket).key(sample.key()),
                    RequestBody.fromBytes(sample.bytes()));
            keys.add(sample.key());
            events.add(S3Events.objectCreated(bucket, sample.key(), sample.bytes().length, put.eTag(), put.versionId(),
                    S3Events.nextSequencer()));
            demo.out().printf("  put s3://%s/%s  (%s)%n", bucket, sample.key(), sample.description());
        }
        for (int i = 0; i < events.size(); i++) {
            deliver(demo, keys.get(i), events.get(i), "");
        }
        deliver(demo, keys.get(0), events.get(0), " (delivered again)");
    }

    private static void deliver(DemoContext demo, String key, ObjectNode event, String note) {
        Invocation invocation = demo.invoke(FUNCTION, event);
        String encoded = event.path("Records").path(0).path("s3").path("object").path("key").asText();
        if (!invocation.succeeded()) {
            String error = invocation.error() == null ? "exit code " + invocation.exitCode() : invocation.error();
            demo.out().printf("  %s <- %s%s: failed (%s)%n", FUNCTION, encoded, note, error);
            demo.report().add(new DemoReport.Row("s3", key + note, 0, 0, 0, 0, 0, "error: " + error));
            return;
        }
        demo.out().printf("  %s <- %s%s: ok in %.1f s%n", FUNCTION, encoded, note,
                invocation.elapsed().toMillis() / 1000.0);
        JsonNode response = DemoContext.json(invocation);
        JsonNode objects = response == null ? null : response.path("objects");
        if (objects != null && objects.isArray() && !objects.isEmpty()) {
            for (JsonNode object : objects) {
                String label = object.path("key").asText(key) + note;
                demo.report().add(DemoReport.Row.of("s3", label, object, object.path("outcome").asText("")));
            }
        } else {
            demo.report().add(DemoReport.Row.of("s3", key + note, Counts.of(response), ""));
        }
    }
}
