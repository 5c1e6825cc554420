package dev.rawzone.functions.pull;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.RawZoneReader;
import dev.rawzone.testkit.VerbatimRecords;
import dev.rawzone.testkit.api.SampleApi;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function's world for a test: the emulator with the raw bucket, the checkpoint table, the API token in
 * Secrets Manager and the sources configuration in SSM; and the sample API on loopback. Plus the checks every
 * test makes: each version the API served is in the raw zone exactly once, and the counts add up.
 */
final class PullFixture implements AutoCloseable {
    static final String RAW = "rawzone-raw-123456789012-us-east-1";
    static final String TABLE = "rawzone-checkpoints";
    static final String TOKEN = "tok-3f9c2e71-live-do-not-log";
    static final String SECRET = "rawzone/pull/contacts";
    static final String SOURCES_PARAMETER = "/rawzone/pull/sources";
    static final Instant START = Instant.parse("2026-11-25T08:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();

    final URI endpoint;
    final AwsClients clients;
    final S3Client s3;
    final DynamoDbClient dynamoDb;
    final SampleApi api;

    PullFixture(Emulator emulator) {
        this.endpoint = emulator.endpoint();
        this.clients = new AwsClients(awsEnvironment(endpoint));
        this.s3 = clients.s3();
        this.dynamoDb = clients.dynamoDb();
        s3.createBucket(b -> b.bucket(RAW));
        s3.putBucketVersioning(v -> v.bucket(RAW).versioningConfiguration(c -> c.status("Enabled")));
        dynamoDb.createTable(t -> t.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
        this.api = SampleApi.start(TOKEN);
    }

    static Map<String, String> awsEnvironment(URI endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", Emulator.REGION);
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", Emulator.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", Emulator.SECRET_KEY);
        return env;
    }

    void storeToken() {
        clients.secretsManager().createSecret(c -> c.name(SECRET).secretString(TOKEN));
    }

    void configure(SourceConfig... sources) {
        ObjectNode root = MAPPER.createObjectNode();
        for (SourceConfig source : sources) {
            root.withArray("sources").add(source.json());
        }
        clients.ssm().putParameter(p -> p.name(SOURCES_PARAMETER).type(ParameterType.STRING)
                .value(root.toString()).overwrite(true));
    }

    /** The function's environment as template.yaml sets it, pointed at the emulator. */
    Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = awsEnvironment(endpoint);
        env.put("RAW_BUCKET", RAW);
        env.put("CHECKPOINT_TABLE", TABLE);
        env.put("PULL_SOURCES", "ssm:" + SOURCES_PARAMETER);
        env.put("SCHEMA_LOCATION", "classpath:schemas");
        env.put("PIPELINE_VERSION", "test");
        env.put("PULL_TIME_RESERVE_MS", "1000");
        env.putAll(extra);
        return env;
    }

    PullIngestHandler handler() {
        return handler(UnaryOperator.identity());
    }

    PullIngestHandler handler(UnaryOperator<PullIngestWiring> change) {
        return new PullIngestHandler(change.apply(PullIngestWiring.fromEnvironment(environment(Map.of()))));
    }

    static ScheduledEvent event(Map<String, Object> detail) {
        ScheduledEvent event = new ScheduledEvent();
        event.setDetailType("Scheduled Event");
        event.setSource("aws.events");
        event.setDetail(new HashMap<>(detail));
        return event;
    }

    /** Invokes the handler as Lambda would and returns its report as JSON. */
    static JsonNode invoke(PullIngestHandler handler, Map<String, Object> detail, Duration timeout) {
        Map<String, Object> result = handler.handleRequest(event(detail), new FakeContext("PullIngestFunction", timeout));
        JsonNode report = MAPPER.valueToTree(result);
        assertCountsAddUp(report);
        return report;
    }

    static JsonNode invoke(PullIngestHandler handler) {
        return invoke(handler, Map.of(), Duration.ofMinutes(15));
    }

    Checkpoint checkpoint(String source) {
        return new DynamoDbCheckpointStore(clients.dynamoDbJson(), TABLE).get("pull#" + source);
    }

    List<String> keys(String prefix) {
        return new RawZoneReader(s3, RAW).keys(prefix);
    }

    /** Every record line under {@code raw/pull/}, in key order. */
    List<JsonNode> written() {
        return lines("raw/pull/");
    }

    List<JsonNode> quarantined() {
        return lines("quarantine/pull/");
    }

    private List<JsonNode> lines(String prefix) {
        return new RawZoneReader(s3, RAW).lines(prefix).stream().map(PullFixture::json).toList();
    }

    private static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every version the API ever made is in the raw zone once (and nothing else is), by id and updated_at. */
    void assertEveryVersionExactlyOnce() {
        assertExactlyOnce(api.versions().stream().map(v -> v.id() + "@" + v.updatedAt()).toList(), written());
    }

    static void assertExactlyOnce(List<String> expected, List<JsonNode> records) {
        Map<String, Integer> copies = new TreeMap<>();
        for (JsonNode record : records) {
            copies.merge(record.get("id").asText() + "@" + record.get("updated_at").asText(), 1, Integer::sum);
        }
        List<String> duplicated = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        List<String> lost = expected.stream().filter(version -> !copies.containsKey(version)).toList();
        Set<String> made = new HashSet<>(expected);
        List<String> unexpected = copies.keySet().stream().filter(version -> !made.contains(version)).toList();
        assertEquals(List.of(), duplicated, "versions written more than once");
        assertEquals(List.of(), lost, "versions never written");
        assertEquals(List.of(), unexpected, "versions written that the API never served");
        assertEquals(expected.size(), records.size());
    }

    static void assertCountsAddUp(JsonNode report) {
        assertEquals(report.get("in").asLong(), report.get("written").asLong() + report.get("quarantined").asLong()
                + report.get("duplicates").asLong() + report.get("failed").asLong(), "counts add up: " + report);
        long in = 0;
        for (JsonNode source : report.get("sources")) {
            assertEquals(source.get("in").asLong(), source.get("written").asLong() + source.get("quarantined").asLong()
                    + source.get("duplicates").asLong() + source.get("failed").asLong(), "source counts add up: " + source);
            in += source.get("in").asLong();
        }
        assertEquals(report.get("in").asLong(), in);
        assertTrue(!report.toString().contains(TOKEN), "the report never holds the token");
    }

    static long total(List<JsonNode> reports, String count) {
        return reports.stream().mapToLong(report -> report.get(count).asLong()).sum();
    }

    @Override
    public void close() {
        api.close();
    }

    static String contactFields(int i) {
        return "\"id\":" + i + ",\"name\":\"Contact " + i + "\",\"email\":\"c" + i + "@example.com\","
                + "\"updated_at\":\"2026-11-25T08:00:0" + i + "Z\"";
    }

    /** The last one is on several lines in {@link #verbatimPage()}; each is stored as it is here. */
    static List<String> verbatimRecords() {
        List<String> records = new ArrayList<>(VerbatimRecords.lines(PullFixture::contactFields));
        records.add("{      \"tax\": 1.10,      " + contactFields(records.size() + 1) + "    }");
        return records;
    }

    /** A pretty-printed page of {@link #verbatimRecords()}, the last one spanning lines (LF and CRLF). */
    static String verbatimPage() {
        List<String> records = new ArrayList<>(VerbatimRecords.lines(PullFixture::contactFields));
        String pretty = "{\n      \"tax\": 1.10,\r\n      " + contactFields(records.size() + 1) + "\n    }";
        return "{\n  \"records\": [\n    " + String.join(",\n    ", records) + ",\n    " + pretty
                + "\n  ],\n  \"has_more\": false\n}\n";
    }
}
