package dev.rawzone.simulation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.checkpoint.DynamoDbCheckpointStore;
import dev.rawzone.core.pull.AwsSecretResolver;
import dev.rawzone.core.pull.PageFetcher;
import dev.rawzone.core.pull.PullSources;
import dev.rawzone.core.pull.Sleeper;
import dev.rawzone.core.pull.SourcePuller;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.replay.redrive.PullDeadLetters;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.S3ConditionalSink;
import dev.rawzone.functions.pull.PullIngestHandler;
import dev.rawzone.simulation.audit.ObjectText;
import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.simulation.faults.CrashPoint;
import dev.rawzone.simulation.faults.SimulatedCrash;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.api.SampleApi;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A scheduled pull run that failed every attempt Lambda made (the API answering 5xx, or a crash before or after
 * the source's checkpoint moved) and whose event went to the pull dead-letter queue; the redrive re-runs its
 * source from its checkpoint. Afterwards every contact the API holds is in the raw zone once, written or
 * quarantined, and nothing is there twice.
 */
final class PullDeadLetter implements AutoCloseable {
    static final String SOURCE = "contacts";
    private static final String TOKEN = "sim-token-replay";
    private static final String SECRET = "sim/replay/contacts";
    private static final String SOURCES = "replay-sources.json";
    private static final Instant START = Instant.parse("2026-11-25T08:00:00Z");
    private static final int ASYNC_ATTEMPTS = 3;
    /** More 5xx answers than an attempt's retries of one request (its max_attempts) can use up. */
    private static final int FAILING_REQUESTS = 10;

    /** How the failed run failed, each of its attempts alike. */
    enum Failure {
        API_5XX, CRASH_BEFORE_CHECKPOINT, CRASH_AFTER_CHECKPOINT
    }

    private final long seed;
    private final Lab lab;
    private final SampleApi api = SampleApi.start(TOKEN);
    private final Map<String, String> environment;
    private final List<String> story;
    private final ScenarioResult result;

    PullDeadLetter(long seed, Lab lab, List<String> story, ScenarioResult result) {
        this.seed = seed;
        this.lab = lab;
        this.story = story;
        this.result = result;
        lab.secrets.createSecret(c -> c.name(SECRET).secretString(TOKEN));
        lab.putConfig(SimulatedConfig.SCHEMAS + "/" + SOURCE + "/v1.json", contactsSchema());
        ObjectNode source = S3Simulation.MAPPER.createObjectNode();
        source.put("name", SOURCE).put("dataset", SOURCE).put("endpoint", api.endpoint().toString())
                .put("page_size", 3 + (int) Math.floorMod(seed, 6L)).put("page_size_param", "limit")
                .put("records_field", "records").put("id_field", "id").put("max_attempts", 3)
                .put("request_timeout", "PT5S");
        source.putObject("auth").put("type", "bearer").put("secret", "secretsmanager:" + SECRET);
        source.putObject("cursor").put("kind", "timestamp").put("field", "updated_at")
                .put("param", "updated_since").put("lookback", "PT10M");
        source.putObject("pagination").put("style", "next_token").put("param", "page_token")
                .put("token_field", "next_page_token").put("has_more_field", "has_more");
        ObjectNode root = S3Simulation.MAPPER.createObjectNode();
        root.putArray("sources").add(source);
        lab.putConfig(SOURCES, root.toString());
        this.environment = lab.functionEnvironment("PullIngestFunction", Map.of(
                ScenarioSetting.PULL_SOURCES, Lab.config(SOURCES),
                ScenarioSetting.SCHEMA_LOCATION, ReplayRuns.SCHEMAS,
                ScenarioSetting.PULL_TIME_RESERVE_MS, "1000"));
    }

    /**
     * The API serves 5-24 contacts; the run fails as {@code variant} draws, {@value #ASYNC_ATTEMPTS} times, and
     * its invocation record goes to the queue as the on-failure destination puts it.
     */
    void failARun(Random variant, String queue) {
        api.seed(5 + variant.nextInt(20), START, Duration.ofMinutes(1));
        Failure failure = Failure.values()[variant.nextInt(Failure.values().length)];
        String error = "";
        for (int attempt = 1; attempt <= ASYNC_ATTEMPTS; attempt++) {
            injectFault(failure, variant);
            try {
                new PullIngestHandler(environment).handleRequest(scheduledEvent(),
                        new FakeContext("PullIngestFunction", Duration.ofMinutes(15)));
                story.add("the pull run meant to fail (" + failure + ") completed in attempt " + attempt);
            } catch (RuntimeException | SimulatedCrash e) {
                error = String.valueOf(e.getMessage());
            } finally {
                clearFaults();
            }
            result.failedThenRetried++;
        }
        String body = invocationRecord(error);
        lab.sqs.sendMessage(m -> m.queueUrl(queue).messageBody(body));
        story.add("a pull run of " + api.size() + " contacts failed " + ASYNC_ATTEMPTS + " attempts (" + failure
                + ") and its scheduled event went to the pull dead-letter queue");
    }

    private void injectFault(Failure failure, Random variant) {
        switch (failure) {
            case API_5XX -> {
                int from = api.requestCount() + 1 + variant.nextInt(3);
                api.errorAt(from, from + FAILING_REQUESTS, 500 + variant.nextInt(4));
            }
            case CRASH_BEFORE_CHECKPOINT -> CrashPlan.arm(new CrashPoint("PutItem", lab.table, 1, CrashPoint.When.BEFORE));
            case CRASH_AFTER_CHECKPOINT -> CrashPlan.arm(new CrashPoint("PutItem", lab.table, 1, CrashPoint.When.AFTER));
        }
    }

    private void clearFaults() {
        api.clearScripted();
        Faults.clear(lab.proxy);
    }

    /** The redrive's mode, built afresh for each run (a new container) on the proxied clients. */
    PullDeadLetters redrive(S3Client s3, ReplayRuns.Clients clients) {
        S3ConditionalSink raw = new S3ConditionalSink(s3, lab.raw);
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation(ReplayRuns.SCHEMAS, () -> s3));
        SourcePuller puller = new SourcePuller(new DynamoDbCheckpointStore(clients.dynamoDb(), lab.table), raw,
                PageFetcher.create(Clock.systemUTC(), Sleeper.real(), new SplittableRandom(seed)),
                new AwsSecretResolver(() -> lab.secretValues, () -> {
                    throw new IllegalStateException("the simulated source's secret is in Secrets Manager");
                }), catalogue, PartPolicy.defaults(), S3Simulation.MAPPER, Clock.systemUTC(),
                SourcePuller.DEFAULT_SEEN_CAP);
        return new PullDeadLetters(puller, () -> PullSources.parse(
                readable(s3.getObjectAsBytes(g -> g.bucket(Lab.CONFIG).key(SOURCES)).asByteArray()),
                S3Simulation.MAPPER), TimeBudget.unlimited(), S3Simulation.MAPPER);
    }

    /** Whether a key of the raw zone holds the pull source's records, which {@link #check} audits (not {@link ReplayAudit}). */
    static boolean audited(String key) {
        return key.startsWith("raw/pull/") || key.startsWith("quarantine/pull/");
    }

    /** Every contact the API holds is stored once under the source's dataset, written or quarantined; none twice. */
    void check() {
        Map<String, Integer> stored = new TreeMap<>();
        for (String prefix : List.of("raw/", "quarantine/")) {
            for (S3Object object : lab.s3.listObjectsV2Paginator(l -> l.bucket(lab.raw).prefix(prefix)).contents()) {
                if (!audited(object.key())) {
                    continue;
                }
                String text = readable(lab.s3.getObjectAsBytes(g -> g.bucket(lab.raw).key(object.key())).asByteArray());
                text.lines().filter(line -> !line.isBlank())
                        .forEach(line -> stored.merge(versionIn(line), 1, Integer::sum));
            }
        }
        for (SampleApi.Version version : api.current()) {
            String id = version.id() + "@" + version.updatedAt();
            int count = stored.getOrDefault(id, 0);
            if (count == 0) {
                result.lost++;
                result.violations.add("pull redrive: lost contact " + id);
            }
            result.recordsIn++;
        }
        stored.forEach((id, count) -> {
            if (count > 1) {
                result.duplicated++;
                result.violations.add("pull redrive: " + id + " stored " + count + " times");
            }
        });
    }

    private static String readable(byte[] body) {
        return new String(ObjectText.readable(body), StandardCharsets.UTF_8);
    }

    private static String versionIn(String line) {
        try {
            JsonNode node = S3Simulation.MAPPER.readTree(line.getBytes(StandardCharsets.UTF_8));
            JsonNode record = node.has("record") ? node.get("record") : node;
            return record.path("id").asText() + "@" + record.path("updated_at").asText();
        } catch (IOException e) {
            return "unreadable line " + line;
        }
    }

    private static ScheduledEvent scheduledEvent() {
        ScheduledEvent event = new ScheduledEvent();
        event.setDetailType("Scheduled Event");
        event.setSource("aws.events");
        event.setDetail(new HashMap<>(Map.of("source", SOURCE)));
        return event;
    }

    private String invocationRecord(String error) {
        ObjectNode record = S3Simulation.MAPPER.createObjectNode();
        record.put("version", "1.0").put("timestamp", "2026-11-25T10:00:05.000Z");
        record.putObject("requestContext").put("requestId", "sim-" + seed + "-pull")
                .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:PullIngestFunction:$LATEST")
                .put("condition", "RetriesExhausted").put("approximateInvokeCount", ASYNC_ATTEMPTS);
        ObjectNode event = record.putObject("requestPayload");
        event.put("version", "0").put("id", "sim-" + seed).put("detail-type", "Scheduled Event")
                .put("source", "aws.events").put("time", "2026-11-25T10:00:00Z");
        event.putObject("detail").put("source", SOURCE);
        record.putObject("responseContext").put("statusCode", 200).put("executedVersion", "$LATEST")
                .put("functionError", "Unhandled");
        record.putObject("responsePayload").put("errorMessage", error).put("errorType", "RuntimeException");
        return record.toString();
    }

    private static String contactsSchema() {
        try (InputStream in = PullIngestHandler.class.getResourceAsStream("/schemas/contacts/v1.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        api.close();
    }
}
