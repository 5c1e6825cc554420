package dev.rawzone.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.functions.s3.S3IngestHandler;
import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.simulation.audit.ZoneSnapshot;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Replay over a raw zone the real S3 handler ingested under schema v1: schema v2 is published (one field stricter,
 * one looser, one optional field added), then a rebuild into generation v2, a quarantine release, or both in
 * either order, each run crashing around its S3 calls or meeting faults and re-run under the same run id until it
 * settles, sometimes as two runs at once; then the same run again, and sometimes the same replay under a new run
 * id, must write nothing. The zone is audited per generation and across (see {@link ReplayAudit}), and the verify
 * mode must find nothing wrong with it.
 */
final class ReplaySimulation implements SourceSimulation {
    static final int REVISED_VERSION = 2;
    private static final String[] DATASETS = {"alpha", "beta", "gamma"};

    @Override
    public String name() {
        return "replay";
    }

    /** A scenario takes seconds (it ingests, replays several times, reads the zone back thrice): CI runs 20. */
    @Override
    public int suiteSeeds() {
        return 20;
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

        ReplayScenario(long seed, Random random, Lab lab) {
            this.seed = seed;
            this.random = random;
            this.lab = lab;
            this.result = new ScenarioResult("replay", seed);
        }

        ScenarioResult run() {
            long started = System.nanoTime();
            SimulatedConfig.publish(lab);
            Map<String, String> environment = lab.functionEnvironment(Map.of(
                    "INGEST_CONFIG", ReplayRuns.ROUTES,
                    "SCHEMA_LOCATION", ReplayRuns.SCHEMAS,
                    "PART_MAX_RECORDS", Integer.toString(3 + random.nextInt(8))));
            ingest(environment);
            for (String dataset : DATASETS) {
                lab.putConfig(SimulatedConfig.SCHEMAS + "/" + dataset + "/v" + REVISED_VERSION + ".json", revisedSchema());
            }
            story.add("schema v" + REVISED_VERSION + " published (n may be a string, k at most 500, optional tag)");
            ZoneSnapshot before = ZoneSnapshot.hashed(lab.s3, Lab.RAW);
            try (S3Client s3 = new AwsClients(lab.functionEnvironment(Map.of())).s3()) {
                ReplayRuns runs = new ReplayRuns(seed, random, lab, s3, environment, story, result);
                for (ReplayRuns.Step step : steps()) {
                    runs.untilSettled(step);
                    expected.ran(step);
                }
                ZoneSnapshot after = ZoneSnapshot.hashed(lab.s3, Lab.RAW);
                ReplayAudit.check(source, expected, RawZoneAudit.of(lab.s3, Lab.RAW), result);
                ReplayAudit.checkUntouched(before, after, lab.s3, result);
                runs.verify();
            }
            result.description = String.join("; ", story);
            result.recordsIn = source.size();
            result.millis = (System.nanoTime() - started) / 1_000_000;
            return result;
        }

        private List<ReplayRuns.Step> steps() {
            return switch (random.nextInt(4)) {
                case 0 -> List.of(ReplayRuns.Step.REBUILD);
                case 1 -> List.of(ReplayRuns.Step.RELEASE);
                case 2 -> List.of(ReplayRuns.Step.RELEASE, ReplayRuns.Step.REBUILD);
                default -> List.of(ReplayRuns.Step.REBUILD, ReplayRuns.Step.RELEASE);
            };
        }

        /** 1-3 objects of JSON Lines through the real S3 handler, one clean delivery each: the v1 generation. */
        private void ingest(Map<String, String> environment) {
            S3IngestHandler handler = new S3IngestHandler(environment);
            int objects = 1 + random.nextInt(3);
            for (int k = 0; k < objects; k++) {
                ObjectNode notice = upload(k);
                ObjectNode event = S3Simulation.MAPPER.createObjectNode();
                ArrayNode records = event.putArray("Records");
                records.add(notice);
                JsonNode report = S3Simulation.invoke(handler, event.toString());
                if (report.path("failed").asLong() > 0) {
                    result.violations.add("ingest under v1 failed records: " + report);
                }
            }
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
            PutObjectResponse put = lab.s3.putObject(p -> p.bucket(Lab.LANDING).key(key), RequestBody.fromBytes(uploaded));
            return S3Simulation.notice(key, put.versionId(), put.eTag().replace("\"", ""), uploaded.length, sequencer++);
        }
    }
}
