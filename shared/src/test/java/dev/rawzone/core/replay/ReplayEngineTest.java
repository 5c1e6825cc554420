package dev.rawzone.core.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.write.InMemorySink;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayEngineTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final InMemorySink raw = new InMemorySink();

    /** Units named by their keys: "boom" throws, anything else is DONE with one record. */
    private final ReplayUnits units = new ReplayUnits() {
        @Override
        public List<ReplayItem> plan(ReplaySelection selection) {
            return List.of(new ReplayItem("part", "a"), new ReplayItem("part", "boom"), new ReplayItem("part", "c"));
        }

        @Override
        public UnitResult run(ReplayItem item, ReplayRun run) {
            if (item.key().equals("boom")) {
                throw new IllegalStateException("the part is unreadable");
            }
            return new UnitResult(item, UnitStatus.DONE, "copied", new Counts(1, 1, 0, 0, 0), List.of(item.key()),
                    List.of("out/" + item.key()), 10);
        }
    };

    @Test
    void aUnitThatThrowsFailsAloneAndTheRunIsRecordedInItsManifest() throws IOException {
        ReplayRun run = ReplayRun.of("rebuild-1", ReplayMode.REBUILD, false, "test");

        ReplayReport report = new ReplayEngine(units, new ReplayManifests(raw, mapper))
                .run(ReplaySelection.ALL, run, TimeBudget.unlimited(), ReplayProgress.silent());

        assertEquals(List.of(UnitStatus.DONE, UnitStatus.FAILED, UnitStatus.DONE),
                report.results().stream().map(UnitResult::status).toList());
        assertEquals("java.lang.IllegalStateException: the part is unreadable", report.results().get(1).detail());
        assertEquals(new Counts(2, 2, 0, 0, 0), report.totals());
        assertEquals(1, report.exitCode());
        List<JsonNode> lines = manifestLines("manifests/replay/rebuild/rebuild-1/attempt-1.jsonl.gz");
        assertEquals(4, lines.size(), "a summary and one line per unit");
        assertEquals(3, lines.get(0).path("units").asInt());
        assertEquals(1, lines.get(0).path("by_status").path("FAILED").asInt());
        assertEquals("out/a", lines.get(1).path("written").get(0).asText());
        assertEquals(report.results().get(2), UnitResult.fromJson(lines.get(3)));
    }

    @Test
    void aRunWhoseTimeRunsOutLeavesTheRestForARerunUnderTheSameId() {
        AtomicInteger started = new AtomicInteger();
        TimeBudget budget = () -> started.getAndIncrement() < 1 ? Duration.ofMinutes(5) : Duration.ofSeconds(5);
        ReplayEngine engine = new ReplayEngine(units, new ReplayManifests(raw, mapper));
        ReplayRun run = ReplayRun.of("verify-1", ReplayMode.VERIFY, false, "test");

        ReplayReport first = engine.run(ReplaySelection.ALL, run, budget, ReplayProgress.silent());
        ReplayReport second = engine.run(ReplaySelection.ALL, run, TimeBudget.unlimited(), ReplayProgress.silent());

        assertEquals(List.of(UnitStatus.DONE, UnitStatus.NOT_REACHED, UnitStatus.NOT_REACHED),
                first.results().stream().map(UnitResult::status).toList());
        assertTrue(first.stoppedEarly());
        assertEquals(1, first.exitCode());
        assertEquals(3, second.results().size());
        assertTrue(raw.objects().containsKey("manifests/replay/verify/verify-1/attempt-1.jsonl.gz"));
        assertTrue(raw.objects().containsKey("manifests/replay/verify/verify-1/attempt-2.jsonl.gz"),
                "the continuing attempt adds its own manifest; the first is kept");
    }

    @Test
    void unitsRunOneByOneElsewhereAreConcludedAsARunInOneProcessIs() {
        ReplayUnits checked = new ReplayUnits() {
            @Override
            public List<ReplayItem> plan(ReplaySelection selection) {
                return units.plan(selection);
            }

            @Override
            public UnitResult run(ReplayItem item, ReplayRun run) {
                return units.run(item, run);
            }

            @Override
            public List<UnitResult> conclude(List<UnitResult> results) {
                return List.of(UnitResult.of(new ReplayItem("positions", "a"), UnitStatus.DIFFERS,
                        "checked across " + results.size() + " units"));
            }
        };
        InMemorySink elsewhere = new InMemorySink();
        ReplayEngine local = new ReplayEngine(checked, new ReplayManifests(raw, mapper));
        ReplayEngine distributed = new ReplayEngine(checked, new ReplayManifests(elsewhere, mapper));
        ReplayRun run = ReplayRun.of("rebuild-2", ReplayMode.REBUILD, false, "test");

        ReplayReport whole = local.run(ReplaySelection.ALL, run, TimeBudget.unlimited(), ReplayProgress.silent());
        List<UnitResult> oneByOne = checked.plan(ReplaySelection.ALL).stream().map(item -> distributed.runOne(item, run))
                .toList();
        ReplayReport concluded = distributed.conclude(ReplaySelection.ALL, run, oneByOne);

        assertEquals("checked across 3 units", concluded.results().get(3).detail());
        assertEquals(whole.results(), concluded.results());
        String key = "manifests/replay/rebuild/rebuild-2/attempt-1.jsonl.gz";
        assertEquals(Optional.of(key), concluded.manifest());
        assertArrayEquals(raw.read(key).orElseThrow(), elsewhere.read(key).orElseThrow(), "the same manifest");
    }

    @Test
    void aDryRunWritesNoManifest() {
        new ReplayEngine(units, new ReplayManifests(raw, mapper)).run(ReplaySelection.ALL,
                ReplayRun.of("dry", ReplayMode.VERIFY, true, "test"), TimeBudget.unlimited(), ReplayProgress.silent());

        assertEquals(Map.of(), raw.objects());
    }

    @Test
    void theRunsMarksGoIntoTheLineageOfWhatItWrites() {
        ReplayRun run = ReplayRun.of("redrive-7", ReplayMode.REDRIVE, false, "1.2.3");

        assertEquals(Map.of("replay-run", "redrive-7", "replay-mode", "redrive"), run.context().marks());
        assertEquals("redrive-7", run.context().runId());
    }

    private List<JsonNode> manifestLines(String key) throws IOException {
        byte[] body = raw.read(key).orElseThrow();
        List<JsonNode> lines = new ArrayList<>();
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            lines.add(mapper.readTree(line));
        }
        return lines;
    }
}
