package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.testkit.EmfBlob;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.PrintedLines;
import dev.rawzone.testkit.api.SampleApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.rawzone.functions.pull.PullFixture.START;
import static dev.rawzone.functions.pull.PullFixture.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the handler prints for CloudWatch: EMF metrics per dataset and per source, and JSON logs. */
class PullObservabilityTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private final List<PrintedLines> printed = new ArrayList<>();
    private PullFixture fixture;
    private SampleApi api;

    @BeforeEach
    void setUp() {
        fixture = new PullFixture(EMULATOR.emulator());
        fixture.storeToken();
        api = fixture.api;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void theDatasetLineHoldsTheReportedCountsAndPartsAndTheSourceLinesItsCheckpointAge() {
        api.seed(25, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();
        Instant before = Instant.now();

        JsonNode source = PrintedLines.capture(() -> invoke(handler), printed).get("sources").get(0);

        Instant after = Instant.now();
        List<EmfBlob> blobs = printed.get(0).metrics().stream().map(EmfBlob::of).toList();
        EmfBlob dataset = only(blobs, "dataset");
        assertEquals(List.of(List.of("service"), List.of("service", "dataset")), dataset.dimensionSets());
        assertEquals("contacts", dataset.dimension("dataset"));
        assertEquals("pull-ingest", dataset.dimension("service"));
        assertEquals(source.get("in").asDouble(), dataset.value("RecordsIn"));
        assertEquals(source.get("written").asDouble(), dataset.value("RecordsWritten"));
        assertEquals(source.get("quarantined").asDouble(), dataset.value("RecordsQuarantined"));
        assertEquals(source.get("duplicates").asDouble(), dataset.value("RecordsDuplicate"));
        assertEquals(source.get("failed").asDouble(), dataset.value("RecordsFailed"));
        assertEquals(source.get("new_parts").asDouble(), dataset.value("PartsWritten"));
        assertEquals(source.get("bytes_written").asDouble(), dataset.value("BytesWritten"));
        assertEquals(source.get("pages").asDouble(), dataset.value("PagesPulled"));
        assertEquals(25, dataset.value("RecordsIn"));
        assertTrue(dataset.value("BytesWritten") > 0);

        // the dimensions PullContactsCheckpointAgeAlarm and PullContactsSourceFailedAlarm watch
        List<EmfBlob> perSource = blobs.stream().filter(blob -> blob.dimensions().containsKey("source")).toList();
        assertEquals(2, perSource.size(), blobs.toString());
        for (EmfBlob blob : perSource) {
            assertEquals(List.of(List.of("service", "source")), blob.dimensionSets());
            assertEquals("contacts", blob.dimension("source"));
        }
        EmfBlob age = perSource.stream().filter(blob -> blob.values().containsKey("CheckpointAgeSeconds")).findFirst()
                .orElseThrow();
        Instant committed = Instant.parse(source.get("checkpoint_after").get("committed_at").asText());
        assertTrue(age.value("CheckpointAgeSeconds") <= Duration.between(committed, after).toSeconds(), age.toString());
        assertTrue(committed.isAfter(before.minusSeconds(1)));
        assertEquals(0, perSource.stream().filter(blob -> blob.values().containsKey("SourceFailed")).findFirst()
                .orElseThrow().value("SourceFailed"));
    }

    @Test
    void theLogLinesOfASourceNameTheFunctionAndTheSourceAndThoseOfAPageThePageAndTheCursorItReadsOnFrom() {
        api.seed(25, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(api));
        PullIngestHandler handler = fixture.handler();

        PrintedLines.capture(() -> invoke(handler), printed);

        List<JsonNode> logs = printed.get(0).logs();
        assertFalse(logs.isEmpty());
        logs.forEach(line -> assertEquals("PullIngestFunction", line.path("function_name").asText(), line.toString()));
        List<JsonNode> sourceLines = logs.stream()
                .filter(line -> line.path("message").asText().startsWith("source contacts")).toList();
        assertFalse(sourceLines.isEmpty(), logs.toString());
        String source = sourceLines.get(0).path("correlation_id").asText();
        assertTrue(source.startsWith("pull://contacts/"), source);
        sourceLines.forEach(line -> assertEquals(source, line.path("correlation_id").asText(), line.toString()));

        List<JsonNode> pageLines = logs.stream().filter(line -> line.path("message").asText().matches("page \\d+ committed.*"))
                .toList();
        assertEquals(3, pageLines.size(), logs.toString());
        Optional<String> cursor = Optional.empty();
        for (JsonNode line : pageLines) {
            String message = line.path("message").asText();
            String seq = message.split(" ")[1];
            assertEquals(source + "/page/" + seq + cursor.map(c -> "?cursor=" + URLEncoder.encode(c, StandardCharsets.UTF_8))
                    .orElse(""), line.path("correlation_id").asText(), "the cursor page " + seq + " read on from");
            cursor = Optional.of(message.substring(message.indexOf("cursor=") + "cursor=".length()));
        }
    }

    private static EmfBlob only(List<EmfBlob> blobs, String dimension) {
        List<EmfBlob> with = blobs.stream().filter(blob -> blob.dimensions().containsKey(dimension)).toList();
        assertEquals(1, with.size(), blobs.toString());
        return with.get(0);
    }
}
