package dev.rawzone.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.functions.s3.S3IngestHandler;
import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.simulation.audit.ZoneSnapshot;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Replay over a raw zone the real S3 handler (and, one seed in three, the Kinesis ingester) wrote under schema v1:
 * first the dead letters of events that failed every attempt, and the Kinesis range given up, are re-driven; then
 * schema v2 is published (one field stricter, one looser, one optional field added) and a rebuild into generation
 * v2, a quarantine release, or both into that version in either order follow, sometimes after one of the two
 * stopped at a crash and was left for the other to find, or after both ran at once. Each replay run may crash
 * around its S3, SQS, Kinesis or ledger calls or meet faults, and is re-run under the same run id until it
 * settles, sometimes as two runs at once; then the same run again, and sometimes the same replay under a new run id, must write nothing. The zone is
 * audited per generation and across (see {@link ReplayAudit}), and the verify mode must find nothing wrong with it.
 */
final class ReplaySimulation implements SourceSimulation {
    static final int REVISED_VERSION = 2;
    static final int SUITE_SEEDS = 12;
    private static final String UNREADABLE_BUCKET = "sim-no-such-bucket";
    /** The first attempt and Lambda's two retries of an asynchronous invocation. */
    private static final int ASYNC_ATTEMPTS = 3;
    private static final String[] DATASETS = {"alpha", "beta", "gamma"};

    @Override
    public String name() {
        return "replay";
    }

    /**
     * A scenario takes about five seconds (it ingests, replays several times, reads the zone back three times and
     * verifies it), so the fixed suite runs {@value #SUITE_SEEDS}: about a minute beside the other sources.
     */
    @Override
    public int suiteSeeds() {
        return SUITE_SEEDS;
    }

    @Override
    public ScenarioResult run(long seed, Lab lab) {
        lab.reset();
        return new ReplayScenario(seed, new Random(seed), lab).run();
    }

    /**
     * Version 2 of the datasets' schema: {@code n} may now be a string too (records v1 refused for it are valid),
     * {@code k} may not exceed 500 (records v1 took are refused), and an optional {@code tag}.
     */
    static String revisedSchema() {
        return "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                + "\"required\":[\"id\",\"n\"],\"properties\":{\"id\":{\"type\":\"string\"},"
                + "\"n\":{\"type\":[\"number\",\"string\"]},\"s\":{\"type\":\"string\"},"
                + "\"k\":{\"type\":\"integer\",\"maximum\":500},\"tag\":{\"type\":\"string\"}}}";
    }

    private static final class ReplayScenario {
        private final long seed;
        private final Random random;
        private final Lab lab;
        private final SourceRecords source = new SourceRecords();
        private final ReplayAudit.Expectations expected = new ReplayAudit.Expectations();
        private final List<String> story = new ArrayList<>();
        private final ScenarioResult result;
        private long sequencer = 0x6A00000000L;
        private int deadLettered;

        ReplayScenario(long seed, Random random, Lab lab) {
            this.seed = seed;
            this.random = random;
            this.lab = lab;
            this.result = new ScenarioResult("replay", seed);
        }

        ScenarioResult run() {
            long started = System.nanoTime();
            SimulatedConfig.publish(lab);
            Map<String, String> environment = lab.functionEnvironment("S3IngestFunction", Map.of(
                    ScenarioSetting.INGEST_CONFIG, ReplayRuns.ROUTES,
                    ScenarioSetting.SCHEMA_LOCATION, ReplayRuns.SCHEMAS,
                    ScenarioSetting.PART_MAX_RECORDS, Integer.toString(3 + random.nextInt(8))));
            // the replay modes' own wiring, over ReplayFunction's deployed environment
            AwsClients proxied = new AwsClients(lab.functionEnvironment("ReplayFunction", Map.of()));
            try (S3Client s3 = proxied.s3(); SqsClient sqs = proxied.sqs(); KinesisClient kinesis = proxied.kinesis();
                 PullDeadLetter pull = new PullDeadLetter(seed, lab, story, result)) {
                ReplayRuns.Clients clients = new ReplayRuns.Clients(s3, sqs, kinesis, proxied.dynamoDbJson(),
                        lab.physicalId("S3IngestDeadLetterQueue"), lab.physicalId("StreamIngestFailureQueue"),
                        lab.physicalId("PullIngestDeadLetterQueue"));
                ingest(environment, clients.deadLetters());
                ReplayRuns runs = new ReplayRuns(seed, random, lab, clients, environment, story, result);
                failAPullRun(pull, clients, runs);
                boolean kinesisRange = random.nextInt(3) == 0;
                List<KinesisFailureRange.LostRange> lostAtSource = new ArrayList<>();
                if (kinesisRange) {
                    giveUpAKinesisBatch(clients, runs).ifPresent(lostAtSource::add);
                    runs.declareLostAtSource(!lostAtSource.isEmpty());
                }
                ZoneSnapshot before = ZoneSnapshot.hashed(lab.s3, lab.raw);
                if (deadLettered > 0) {
                    runs.untilSettled(ReplayRuns.Step.REDRIVE_S3);
                }
                if (kinesisRange) {
                    runs.untilSettled(ReplayRuns.Step.REDRIVE_KINESIS);
                    LostAtSource.check(lab, lostAtSource, result);
                }
                runs.untilSettled(ReplayRuns.Step.REDRIVE_PULL);
                runs.checkDrained();
                pull.check();
                publishRevisedSchema();
                for (ReplayRuns.Step step : steps(runs)) {
                    runs.untilSettled(step);
                    expected.ran(step);
                }
                ZoneSnapshot after = ZoneSnapshot.hashed(lab.s3, lab.raw);
                ReplayAudit.check(source, expected, RawZoneAudit.of(lab.s3, lab.raw), result);
                ReplayAudit.checkUntouched(before, after, lab.s3, lab.raw, result);
                runs.verify();
            }
            result.description = String.join("; ", story);
            result.recordsIn = source.size();
            result.millis = (System.nanoTime() - started) / 1_000_000;
            return result;
        }

        /**
         * A pull run that fails into the pull dead-letter queue, for the redrive to settle; its contacts are audited
         * apart from the S3 and Kinesis records. How it fails is drawn apart from the scenario's draws.
         */
        private void failAPullRun(PullDeadLetter pull, ReplayRuns.Clients clients, ReplayRuns runs) {
            pull.failARun(new Random(seed * 6151 + 29), clients.pullFailures());
            runs.pullDeadLetter(pull);
        }

        /**
         * The Kinesis batch given up, failing as a random of its own draws (so the rest of a seed's scenario is the
         * same whichever it draws): refused writes, a crash before its ledger pin, or a crash after its parts and
         * before its ledger commit; one in three whose ledger keeps a record of it has its range start trimmed.
         */
        private Optional<KinesisFailureRange.LostRange> giveUpAKinesisBatch(ReplayRuns.Clients clients,
                                                                           ReplayRuns runs) {
            Random variant = new Random(seed * 7919 + 17);
            KinesisFailureRange.Failure failure = KinesisFailureRange.Failure.values()[
                    variant.nextInt(KinesisFailureRange.Failure.values().length)];
            // A range the ledger knows nothing of is one no attempt could pin: a trimmed start reaching into the
            // batch before it, settled live, is no message the mapping sends.
            boolean trimmed = failure != KinesisFailureRange.Failure.UNPINNED && variant.nextInt(3) == 0;
            return KinesisFailureRange.giveUpOneBatch(seed, random, lab, clients, runs.partRecords(), source, expected,
                    story, failure, trimmed);
        }

        private void publishRevisedSchema() {
            for (String dataset : DATASETS) {
                lab.putConfig(SimulatedConfig.SCHEMAS + "/" + dataset + "/v" + REVISED_VERSION + ".json", revisedSchema());
            }
            story.add("schema v" + REVISED_VERSION + " published (n may be a string, k at most 500, optional tag)");
        }

        /**
         * The replays into v2, each then run until it settles in this order: a rebuild, a release, or both, one
         * after the other; or both into the same version after one of them stopped at a crash (the other then
         * finds what it left), or after both ran at once.
         */
        private List<ReplayRuns.Step> steps(ReplayRuns runs) {
            ReplayRuns.Step release = ReplayRuns.Step.RELEASE;
            ReplayRuns.Step rebuild = ReplayRuns.Step.REBUILD;
            switch (random.nextInt(7)) {
                case 0 -> {
                    return List.of(rebuild);
                }
                case 1 -> {
                    return List.of(release);
                }
                case 2 -> {
                    return List.of(release, rebuild);
                }
                case 3 -> {
                    return List.of(rebuild, release);
                }
                case 4 -> {
                    runs.stopped(release);
                    return List.of(rebuild, release);
                }
                case 5 -> {
                    runs.stopped(rebuild);
                    return List.of(release, rebuild);
                }
                default -> {
                    runs.atOnce(release, rebuild);
                    return random.nextBoolean() ? List.of(release, rebuild) : List.of(rebuild, release);
                }
            }
        }

        /**
         * 1-3 objects of JSON Lines through the real S3 handler, each announced in an event of its own: the v1
         * generation. One event in three fails every attempt Lambda makes (the containers read an unreadable schema
         * location) and its invocation record goes to the dead-letter queue, as the on-failure destination does.
         */
        private void ingest(Map<String, String> environment, String deadLetters) {
            S3IngestHandler handler = new S3IngestHandler(environment);
            Map<String, String> unreadable = new HashMap<>(environment);
            unreadable.put("SCHEMA_LOCATION", "s3://" + UNREADABLE_BUCKET + "/schemas");
            int objects = 1 + random.nextInt(3);
            for (int k = 0; k < objects; k++) {
                ObjectNode event = S3Simulation.MAPPER.createObjectNode();
                event.putArray("Records").add(upload(k));
                if (random.nextInt(3) == 0) {
                    deadLetter(event, unreadable, deadLetters);
                    continue;
                }
                JsonNode report = S3Simulation.invoke(handler, event.toString());
                if (report.path("failed").asLong() > 0) {
                    result.violations.add("ingest under v1 failed records: " + report);
                }
            }
        }

        private void deadLetter(ObjectNode event, Map<String, String> unreadable, String deadLetters) {
            String error = "";
            for (int attempt = 1; attempt <= ASYNC_ATTEMPTS; attempt++) {
                try {
                    S3Simulation.invoke(new S3IngestHandler(unreadable), event.toString());
                    result.violations.add("an ingest with an unreadable schema location succeeded");
                    return;
                } catch (RuntimeException e) {
                    error = String.valueOf(e);
                    result.failedThenRetried++;
                }
            }
            ObjectNode record = S3Simulation.MAPPER.createObjectNode();
            record.put("version", "1.0").put("timestamp", "2026-11-25T10:00:05.000Z");
            record.putObject("requestContext").put("requestId", "sim-" + seed + "-" + deadLettered)
                    .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:S3IngestFunction:$LATEST")
                    .put("condition", "RetriesExhausted").put("approximateInvokeCount", ASYNC_ATTEMPTS);
            record.set("requestPayload", event);
            record.putObject("responseContext").put("statusCode", 200).put("executedVersion", "$LATEST")
                    .put("functionError", "Unhandled");
            record.putObject("responsePayload").put("errorMessage", error).put("errorType", "RuntimeException");
            lab.sqs.sendMessage(m -> m.queueUrl(deadLetters).messageBody(record.toString()));
            deadLettered++;
            story.add("its event failed " + ASYNC_ATTEMPTS + " attempts and went to the dead-letter queue");
        }

        private ObjectNode upload(int k) {
            String dataset = random.nextBoolean() ? "alpha" : "beta";
            boolean gzip = random.nextInt(3) == 0;
            String key = "in/" + dataset + "/obj-" + k + ".jsonl" + (gzip ? ".gz" : "");
            StringBuilder text = new StringBuilder();
            int count = 3 + random.nextInt(18);
            for (int line = 0; line < count; line++) {
                String id = SourceRecords.id(seed, k, line);
                RecordTexts.Kind kind = RecordTexts.kind(random);
                String record = RecordTexts.json(kind, id, random);
                text.append(record).append('\n');
                source.mustLand(id, kind == RecordTexts.Kind.BROKEN ? null : record.getBytes(StandardCharsets.UTF_8));
                expected.sent(id, kind, record);
            }
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            byte[] uploaded = gzip ? S3Simulation.gzip(body) : body;
            story.add(key + " (" + count + " lines)");
            PutObjectResponse put = lab.s3.putObject(p -> p.bucket(lab.landing).key(key), RequestBody.fromBytes(uploaded));
            return S3Simulation.notice(lab.landing, key, put.versionId(), put.eTag().replace("\"", ""), uploaded.length, sequencer++);
        }
    }
}
