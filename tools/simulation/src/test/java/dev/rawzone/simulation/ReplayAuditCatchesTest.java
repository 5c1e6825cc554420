package dev.rawzone.simulation;

import dev.rawzone.core.config.AwsClients;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.testkit.Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay audit on hand-made raw zones: a quarantine release done right passes; a released record stored twice in
 * generation v2, or released without a marker naming its entry, or a v1 record lost, does not.
 */
class ReplayAuditCatchesTest {
    private static final String BUCKET = "replay-audit-bucket";
    private static final String VALID = "{\"id\":\"rec-9-0-0\",\"n\":1}";
    private static final String REFUSED = "{\"id\":\"rec-9-0-1\",\"n\":\"seven\"}";
    private static final String QUARANTINE = "quarantine/s3/alpha/dt=2026-12-02/obj-0-aa-000000000002.jsonl.gz";
    private static final String RELEASED = "raw/s3/alpha/schema=v2/dt=2026-12-02/released/obj-0-aa-000000000002.jsonl.gz";

    private static Emulator emulator;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        emulator = Emulator.start();
        s3 = new AwsClients(emulator.environment()).s3();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void emptyBucket() {
        emulator.reset();
        s3.createBucket(b -> b.bucket(BUCKET));
        part("raw/s3/alpha/schema=v1/dt=2026-12-02/obj-0-aa-000000000001.jsonl.gz", VALID);
        part(QUARANTINE, "{\"source\":\"s3://in/obj-0\",\"dataset\":\"alpha\",\"line\":2,\"reason\":\"n\","
                + "\"schema_version\":1,\"record\":" + REFUSED + "}");
    }

    @Test
    void aReleaseDoneRightPasses() {
        part(RELEASED, REFUSED);
        marker(QUARANTINE + ".released-v2.json", "{\"released\":[\"2\"]}");
        assertEquals(List.of(), violations());
    }

    @Test
    void aReleasedRecordTwiceInItsGenerationIsDuplicated() {
        part(RELEASED, REFUSED);
        part("raw/s3/alpha/schema=v2/dt=2026-12-02/obj-0-aa-000000000002.jsonl.gz", REFUSED);
        marker(QUARANTINE + ".released-v2.json", "{\"released\":[\"2\"]}");
        List<String> violations = violations();
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("generation v2: duplicated rec-9-0-1")), violations::toString);
    }

    @Test
    void aReleaseWithoutItsMarkerIsCaught() {
        part(RELEASED, REFUSED);
        List<String> violations = violations();
        assertTrue(violations.stream().anyMatch(v -> v.contains("is named by 0 release markers")), violations::toString);
    }

    @Test
    void aRecordMissingFromGenerationOneIsLost() {
        s3.deleteObject(d -> d.bucket(BUCKET).key(QUARANTINE));
        List<String> violations = violations();
        assertTrue(violations.contains("generation v1: lost rec-9-0-1"), violations::toString);
        assertTrue(violations.contains("generation v2: lost rec-9-0-1"), "a release must have put it into v2");
    }

    private static List<String> violations() {
        SourceRecords source = new SourceRecords();
        ReplayAudit.Expectations expected = new ReplayAudit.Expectations();
        source.mustLand("rec-9-0-0", VALID.getBytes(StandardCharsets.UTF_8));
        expected.sent("rec-9-0-0", RecordTexts.Kind.VALID, VALID);
        source.mustLand("rec-9-0-1", REFUSED.getBytes(StandardCharsets.UTF_8));
        expected.sent("rec-9-0-1", RecordTexts.Kind.INVALID, REFUSED);
        expected.ran(ReplayRuns.Step.RELEASE);
        ScenarioResult result = new ScenarioResult("replay", 9);
        ReplayAudit.check(source, expected, RawZoneAudit.of(s3, BUCKET), result);
        return result.violations;
    }

    private static void part(String key, String line) {
        byte[] body = S3Simulation.gzip((line + "\n").getBytes(StandardCharsets.UTF_8));
        s3.putObject(p -> p.bucket(BUCKET).key(key).metadata(Map.of("content-sha256", KeyParts.sha256Hex(body),
                "record-count", "1")), RequestBody.fromBytes(body));
    }

    private static void marker(String key, String json) {
        s3.putObject(p -> p.bucket(BUCKET).key(key), RequestBody.fromString(json));
    }
}
