package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.testkit.EmfBlob;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.PrintedLines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What the handler prints for CloudWatch: the run's counts as EMF under service replay, and JSON logs. */
class ReplayObservabilityTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private final List<PrintedLines> printed = new ArrayList<>();
    private ReplayFixture fixture;

    @BeforeEach
    void seed() throws IOException {
        fixture = new ReplayFixture(EMULATOR.emulator());
        fixture.seedOrders();
    }

    @Test
    void aWholeRunEmitsItsCountsOnceUnderTheReplayService() {
        JsonNode response = PrintedLines.capture(() -> fixture.invoke("{\"mode\": \"verify\", \"run_id\": \"v-1\"}"),
                printed);

        List<JsonNode> metrics = printed.get(0).metrics();
        assertEquals(1, metrics.size(), metrics.toString());
        EmfBlob blob = EmfBlob.of(metrics.get(0));
        assertEquals(List.of(List.of("service")), blob.dimensionSets());
        assertEquals("replay", blob.dimension("service"));
        assertEquals("rawzone", blob.namespace());
        JsonNode counts = response.get("counts");
        assertEquals(counts.get("in").asDouble(), blob.value("RecordsIn"));
        assertEquals(counts.get("written").asDouble(), blob.value("RecordsWritten"));
        assertEquals(counts.get("quarantined").asDouble(), blob.value("RecordsQuarantined"));
        assertEquals(counts.get("duplicates").asDouble(), blob.value("RecordsDuplicate"));
        assertEquals(counts.get("failed").asDouble(), blob.value("RecordsFailed"));
        assertEquals(5, blob.value("RecordsIn"), "the sample object's five records");
    }

    @Test
    void itsLogLinesAreJsonNamingTheFunctionAndTheRequest() {
        PrintedLines.capture(() -> fixture.invoke("{\"mode\": \"verify\", \"run_id\": \"v-2\"}"), printed);

        List<JsonNode> logs = printed.get(0).logs();
        assertFalse(logs.isEmpty());
        for (JsonNode line : logs) {
            assertEquals("ReplayFunction", line.path("function_name").asText(), line.toString());
            assertFalse(line.path("function_request_id").asText().isEmpty(), line.toString());
        }
    }
}
