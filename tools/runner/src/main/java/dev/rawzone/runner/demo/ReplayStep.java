package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.invoke.Invocation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Replay, run last: (1) an object whose S3 invocations all "failed" waits on the dead-letter queue as Lambda's
 * on-failure record and ReplayFunction re-drives it; (2) orders v2 (customer_id optional) is uploaded and
 * ReplayFunction releases the order v1 quarantined for lacking one; (3) ReplayVerifyFunction verifies the raw zone.
 */
public final class ReplayStep implements DemoStep {
    public static final String FUNCTION = "ReplayFunction";
    public static final String VERIFY_FUNCTION = "ReplayVerifyFunction";
    public static final String DEAD_LETTER_QUEUE = "S3IngestDeadLetterQueue";
    static final String SCHEMAS_PREFIX = "config/demo-schemas";
    static final String SCHEMA_V1 = "functions/s3-ingest/src/main/resources/schemas/orders/v1.json";
    static final String FAILED_KEY = "orders/2026/11/25/orders-0003-failed-first.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String title() {
        return "Replay: a dead-lettered S3 event re-driven, a quarantined order released under orders v2, a verify";
    }

    @Override
    public List<String> requires() {
        return List.of(FUNCTION, VERIFY_FUNCTION, S3PushStep.FUNCTION, S3PushStep.LANDING_BUCKET, DEAD_LETTER_QUEUE,
                DemoCommand.RAW_BUCKET);
    }

    @Override
    public void run(DemoContext demo) {
        String queueUrl = demo.aws().sqs().getQueueUrl(q -> q.queueName(demo.name(DEAD_LETTER_QUEUE))).queueUrl();
        String landing = demo.name(S3PushStep.LANDING_BUCKET);
        byte[] bytes = ("{\"order_id\":\"o-4001\",\"customer_id\":\"c-002\",\"amount\":15.00,\"currency\":\"USD\","
                + "\"created_at\":\"2026-11-25T09:00:00Z\"}\n").getBytes(StandardCharsets.UTF_8);
        PutObjectResponse put = demo.aws().s3().putObject(p -> p.bucket(landing).key(FAILED_KEY), RequestBody.fromBytes(bytes));
        ObjectNode event = S3Events.objectCreated(landing, FAILED_KEY, bytes.length, put.eTag(), put.versionId(),
                S3Events.nextSequencer());
        demo.aws().sqs().sendMessage(m -> m.queueUrl(queueUrl).messageBody(onFailureRecord(event, functionArn(demo)).toString()));
        demo.out().printf("  put s3://%s/%s; its invocations all failed: on-failure record on %s%n", landing, FAILED_KEY,
                DEAD_LETTER_QUEUE);
        JsonNode redrive = replay(demo, FUNCTION, "redrive (dead-letter queue)",
                "{\"mode\":\"redrive\",\"selection\":{\"source\":\"s3\"}}", Map.of());
        String left = demo.aws().sqs().getQueueAttributes(a -> a.queueUrl(queueUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages");
        demo.out().printf("  %s now holds %s message(s)%n", DEAD_LETTER_QUEUE, left);
        report(demo, "redrive", FAILED_KEY, redrive);

        String rawBucket = demo.name(DemoCommand.RAW_BUCKET);
        String location = uploadSchemas(demo, rawBucket);
        demo.out().printf("  orders v2 (customer_id optional) uploaded to %s%n", location);
        JsonNode release = replay(demo, FUNCTION, "redrive (quarantine release under v2)",
                "{\"mode\":\"redrive\",\"selection\":{\"quarantine\":true,\"source\":\"s3\",\"dataset\":\"orders\"}}",
                Map.of("SCHEMA_LOCATION", location));
        for (String key : keys(demo, rawBucket, "raw/s3/orders/schema=v2/")) {
            demo.out().println("  released: " + key);
        }
        for (String key : keys(demo, rawBucket, "quarantine/")) {
            if (key.contains(".released-v")) {
                demo.out().println("  marker:   " + key);
            }
        }
        report(demo, "release", "quarantine/s3/orders -> schema=v2", release);

        JsonNode verify = replay(demo, VERIFY_FUNCTION, "verify", "{\"mode\":\"verify\",\"selection\":{\"source\":\"s3\"}}",
                Map.of("SCHEMA_LOCATION", location));
        // verify only reads: its counts are records checked, not records in, so they stay out of the table's totals
        demo.report().add(new DemoReport.Row("replay", "raw zone (s3)", 0, 0, 0, 0, 0, outcome("verify", verify)));
    }

    /** Lambda's on-failure destination record for an asynchronous invocation that exhausted its retries. */
    static ObjectNode onFailureRecord(ObjectNode s3Event, String functionArn) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("version", "1.0");
        record.put("timestamp", Instant.now().toString());
        ObjectNode context = record.putObject("requestContext");
        context.put("requestId", java.util.UUID.randomUUID().toString());
        context.put("functionArn", functionArn + ":$LATEST");
        context.put("condition", "RetriesExhausted");
        context.put("approximateInvokeCount", 3);
        record.set("requestPayload", s3Event);
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        record.putObject("responsePayload").put("errorMessage", "the demo's first ingest of this object failed");
        return record;
    }

    /** Orders v1 as the S3 function knows it, and v2 that no longer requires customer_id. */
    static ObjectNode ordersV2(JsonNode v1) {
        ObjectNode v2 = v1.deepCopy();
        v2.put("$id", "https://rawzone.dev/schemas/orders/v2.json");
        ArrayNode required = v2.putArray("required");
        v1.path("required").forEach(field -> {
            if (!field.asText().equals("customer_id")) {
                required.add(field);
            }
        });
        return v2;
    }

    private static String uploadSchemas(DemoContext demo, String bucket) {
        Path schemas = demo.directory().resolve("functions/s3-ingest/src/main/resources/schemas");
        try (var files = Files.walk(schemas)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String key = SCHEMAS_PREFIX + "/" + schemas.relativize(file).toString().replace('\\', '/');
                demo.aws().s3().putObject(p -> p.bucket(bucket).key(key), RequestBody.fromFile(file));
            }
            JsonNode v1 = JSON.readTree(demo.directory().resolve(SCHEMA_V1).toFile());
            demo.aws().s3().putObject(p -> p.bucket(bucket).key(SCHEMAS_PREFIX + "/orders/v2.json"),
                    RequestBody.fromString(ordersV2(v1).toPrettyString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schemas under " + schemas, e);
        }
        return "s3://" + bucket + "/" + SCHEMAS_PREFIX;
    }

    private static JsonNode replay(DemoContext demo, String function, String what, String event,
                                   Map<String, String> environment) {
        Invocation invocation;
        try {
            invocation = demo.invoke(function, JSON.readTree(event), environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!invocation.succeeded()) {
            demo.out().printf("  %s %s: failed (%s)%n", function, what,
                    invocation.error() == null ? "exit code " + invocation.exitCode() : invocation.error());
            return null;
        }
        JsonNode response = DemoContext.json(invocation);
        demo.out().printf("  %s %s: %s in %.1f s%n", function, what,
                response == null ? "?" : response.path("by_status").toString(), invocation.elapsed().toMillis() / 1000.0);
        return response;
    }

    private static void report(DemoContext demo, String mode, String label, JsonNode response) {
        JsonNode counts = response == null ? JsonNodeFactory.instance.objectNode() : response.path("counts");
        demo.report().add(DemoReport.Row.of("replay", label, counts, outcome(mode, response)));
    }

    private static String outcome(String mode, JsonNode response) {
        return response == null ? "error" : mode + " " + response.path("by_status") + " exit "
                + response.path("exit_code").asInt(1);
    }

    private static List<String> keys(DemoContext demo, String bucket, String prefix) {
        return demo.aws().s3().listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static String functionArn(DemoContext demo) {
        return "arn:aws:lambda:us-east-1:123456789012:function:" + demo.functionName(S3PushStep.FUNCTION);
    }
}
