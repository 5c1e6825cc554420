package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ReplayStateMachine as template.yaml defines it, run by {@link LocalStateMachine} (moto runs no Lambda tasks) over
 * the real handler of each function, on a raw zone the S3 ingest core wrote: the payload each Task state builds
 * reaches the function the mode runs in, the map's items go through the handler one by one, their results are
 * written as ResultWriter writes them, and Conclude turns them into the run manifest a run in one process writes.
 */
class ReplayStateMachineTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    static final String READ_WRITE = "arn:aws:lambda:us-east-1:123456789012:function:rawzone-ReplayFunction:live";
    static final String READ_ONLY = "arn:aws:lambda:us-east-1:123456789012:function:rawzone-ReplayVerifyFunction:live";
    private static final String VERIFY_S3 = "{\"mode\": \"verify\", \"selection\": {\"source\": \"s3\"}}";

    private ReplayFixture fixture;

    @BeforeEach
    void seed() throws IOException {
        fixture = new ReplayFixture(EMULATOR.emulator());
        fixture.seedOrders();
    }

    @Test
    void aVerifyAtScaleEndsWithTheRunManifestARunInOneProcessWrites() {
        LocalStateMachine machine = machine(new BuiltInModes(), 0);

        JsonNode output = machine.execute("verify-sfn-1", json(VERIFY_S3));
        JsonNode local = ReplayFixture.invoke(fixture.function("verify", new BuiltInModes()),
                "{\"mode\": \"verify\", \"selection\": {\"source\": \"s3\"}, \"run_id\": \"verify-local-1\"}",
                Duration.ofMinutes(15));

        assertEquals(0, output.get("exit_code").asInt(), output.toString());
        assertEquals(json("{\"mode\": \"verify\", \"selection\": {\"source\": \"s3\"}, \"dry_run\": false, "
                + "\"run_id\": \"verify-sfn-1\", \"plan\": true}"), machine.invocations().get(0).payload());
        JsonNode conclude = machine.invocations().get(machine.invocations().size() - 1).payload();
        assertTrue(conclude.at("/results/Key").asText().startsWith("manifests/replay/results/"), conclude.toString());
        assertTrue(machine.invocations().stream().allMatch(call -> call.function().equals(READ_ONLY)),
                "verify runs in the read-only function: " + machine.invocations());
        String manifest = output.get("manifest").asText();
        assertEquals("manifests/replay/verify/verify-sfn-1/attempt-1.jsonl.gz", manifest);
        assertEquals(withoutRunId(lines(local.get("manifest").asText())), withoutRunId(lines(manifest)));
    }

    @Test
    void aPartWhoseSha256DiffersFailsTheExecutionWithTheTotalsAsItsCause() {
        String damaged = fixture.parts().get(0);
        fixture.s3.putObject(p -> p.bucket(ReplayFixture.RAW).key(damaged).metadata(fixture.metadata(damaged)),
                RequestBody.fromBytes(new byte[] {31, -117, 8, 0}));

        LocalStateMachine.Failure failure = assertThrows(LocalStateMachine.Failure.class,
                () -> machine(new BuiltInModes(), 0).execute("verify-sfn-2", json(VERIFY_S3)));

        assertEquals("ReplayProblems", failure.error);
        assertTrue(failure.cause.startsWith("replay verify verify-sfn-2: 1 units (DIFFERS 1); records: in "),
                failure.cause);
        assertTrue(failure.cause.endsWith("; manifest manifests/replay/verify/verify-sfn-2/attempt-1.jsonl.gz"),
                failure.cause);
        List<String> units = lines("manifests/replay/verify/verify-sfn-2/attempt-1.jsonl.gz");
        JsonNode unit = json(units.get(1));
        assertEquals("DIFFERS", unit.get("status").asText(), unit.toString());
        assertTrue(unit.get("detail").asText().contains(damaged), unit.toString());
    }

    @Test
    void eachModeRunsInItsFunctionFromPlanToConclude() {
        LocalStateMachine verify = machine(CopyPartUnits.modes(), 0);
        LocalStateMachine rebuild = machine(CopyPartUnits.modes(), 0);

        verify.execute("verify-sfn-3", json(VERIFY_S3));
        rebuild.execute("rebuild-sfn-3", json("{\"mode\": \"rebuild\"}"));

        int units = fixture.parts().size();
        assertEquals(functions(READ_ONLY, units), calls(verify));
        assertEquals(functions(READ_WRITE, units), calls(rebuild));
        assertEquals(json("{\"mode\": \"rebuild\", \"run_id\": \"rebuild-sfn-3\", \"dry_run\": false, \"item\": "
                + new ReplayItem(CopyPartUnits.PART, fixture.parts().get(0)).toJson(ReplayFixture.MAPPER) + "}"),
                rebuild.invocations().get(1).payload(), "an item's payload: the unit, its run and mode");
    }

    @Test
    void aFailedUnitWithinTheToleranceIsInTheManifestAndFailsTheRun() {
        String missing = "raw/s3/orders/schema=v1/dt=2026-11-25/gone.jsonl.gz";
        planWithAMissingPart("rebuild-sfn-4", missing);

        LocalStateMachine.Failure failure = assertThrows(LocalStateMachine.Failure.class,
                () -> machine(CopyPartUnits.modes(), 50).execute("rebuild-sfn-4", json("{\"mode\": \"rebuild\"}")));

        assertEquals("ReplayProblems", failure.error);
        assertTrue(failure.cause.contains("FAILED 1"), failure.cause);
        List<String> manifest = lines("manifests/replay/rebuild/rebuild-sfn-4/attempt-1.jsonl.gz");
        ReplayItem gone = new ReplayItem(CopyPartUnits.PART, missing);
        assertEquals(UnitResult.of(gone, UnitStatus.FAILED, "java.lang.IllegalStateException: no part " + missing),
                UnitResult.fromJson(json(manifest.get(manifest.size() - 1))),
                "the unit's result, read back from the failed item's cause");
        assertEquals(5, json(manifest.get(0)).at("/counts/written").asLong(), "the other units wrote the five records");
    }

    @Test
    void pastTheToleranceTheMapFailsAndNothingIsConcluded() {
        planWithAMissingPart("rebuild-sfn-5", "raw/s3/orders/schema=v1/dt=2026-11-25/gone.jsonl.gz");

        LocalStateMachine machine = machine(CopyPartUnits.modes(), 0);
        LocalStateMachine.Failure failure = assertThrows(LocalStateMachine.Failure.class,
                () -> machine.execute("rebuild-sfn-5", json("{\"mode\": \"rebuild\"}")));

        assertEquals("States.ExceedToleratedFailureThreshold", failure.error);
        assertEquals(List.of("manifests/replay/rebuild/rebuild-sfn-5/plan.json"),
                fixture.keys("manifests/replay/rebuild/rebuild-sfn-5/"), "a redrive of the execution concludes it");
    }

    /** The machine of template.yaml over the two functions, both running {@code modes}. */
    private LocalStateMachine machine(ReplayModes modes, int toleratedFailurePercentage) {
        JsonNode definition = TemplateDefinition.read(Map.of("AWS::Partition", "aws", "AWS::Region", "us-east-1",
                "AWS::AccountId", "123456789012", "AWS::StackName", "rawzone", "RawBucket", ReplayFixture.RAW,
                "ReplayFunction.Alias", READ_WRITE, "ReplayVerifyFunction.Alias", READ_ONLY, "ReplayMaxConcurrency", "10",
                "ReplayToleratedFailurePercentage", Integer.toString(toleratedFailurePercentage)));
        ReplayHandler readWrite = fixture.function("redrive,rebuild", modes);
        ReplayHandler readOnly = fixture.function("verify", modes);
        return new LocalStateMachine(definition, Map.of(
                READ_WRITE, payload -> ReplayFixture.invoke(readWrite, payload.toString(), Duration.ofMinutes(15)),
                READ_ONLY, payload -> ReplayFixture.invoke(readOnly, payload.toString(), Duration.ofMinutes(15))),
                fixture.s3);
    }

    /** The run's plan written before it starts (the Plan state keeps it): the seeded parts and one that is gone. */
    private void planWithAMissingPart(String runId, String missing) {
        List<ReplayItem> items = new ArrayList<>();
        fixture.parts().forEach(part -> items.add(new ReplayItem(CopyPartUnits.PART, part)));
        items.add(new ReplayItem(CopyPartUnits.PART, missing));
        new ReplayPlans(fixture.wiring.raw(), ReplayFixture.MAPPER)
                .write(ReplayRun.of(runId, ReplayMode.REBUILD, false, "test"), items);
    }

    private static List<String> calls(LocalStateMachine machine) {
        return machine.invocations().stream().map(call -> call.state() + " " + call.function()).toList();
    }

    private static List<String> functions(String function, int units) {
        List<String> calls = new ArrayList<>();
        calls.add("Plan " + function);
        for (int unit = 0; unit < units; unit++) {
            calls.add("ReplayUnit " + function);
        }
        calls.add("Conclude " + function);
        return calls;
    }

    private List<String> lines(String manifest) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(fixture.bytes(manifest)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest's lines, its summary without the run id (two runs of one selection differ in nothing else). */
    private static List<JsonNode> withoutRunId(List<String> lines) {
        List<JsonNode> nodes = new ArrayList<>();
        lines.forEach(line -> nodes.add(json(line)));
        ((ObjectNode) nodes.get(0)).remove("run_id");
        return nodes;
    }

    private static JsonNode json(String text) {
        try {
            return ReplayFixture.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
