package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.EmfBlob;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.PrintedLines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.rawzone.functions.s3.S3Fixture.MAPPER;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the handler prints for CloudWatch: EMF metrics per dataset that match its report, and JSON logs. */
class S3ObservabilityTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private final List<PrintedLines> printed = new ArrayList<>();
    private S3Fixture fixture;
    private S3IngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new S3Fixture(EMULATOR.emulator());
        handler = fixture.handler(Map.of("POWERTOOLS_SERVICE_NAME", "s3-ingest"));
    }

    @Test
    void eachDatasetHasOneMetricLineUnderServiceAndServiceAndDatasetWithTheReportedFigures() {
        ObjectNode orders = fixture.put("orders/2026-11-25/mixed.jsonl", utf8(orders(1, 3) + "{\"order_id\":1}\n"));
        ObjectNode customers = fixture.put("customers/2026-11-25/two.csv",
                utf8("customer_id,name,email,country\nc-1,Ada,ada@example.com,GB\nc-2,Bob,bob@example.com,DE\n"));

        JsonNode report = invoke(event(orders, customers), new FakeContext("S3IngestFunction"));

        List<EmfBlob> blobs = printed.get(0).metrics().stream().map(EmfBlob::of).toList();
        assertEquals(Set.of("orders", "customers"), blobs.stream().map(blob -> blob.dimension("dataset"))
                .collect(Collectors.toSet()));
        for (JsonNode object : report.get("objects")) {
            String dataset = object.get("dataset").asText();
            EmfBlob blob = blobs.stream().filter(b -> dataset.equals(b.dimension("dataset"))).findFirst().orElseThrow();
            assertEquals("rawzone", blob.namespace());
            assertEquals(List.of(List.of("service"), List.of("service", "dataset")), blob.dimensionSets());
            assertEquals("s3-ingest", blob.dimension("service"));
            assertEquals(object.get("in").asDouble(), blob.value("RecordsIn"), dataset);
            assertEquals(object.get("written").asDouble(), blob.value("RecordsWritten"), dataset);
            assertEquals(object.get("quarantined").asDouble(), blob.value("RecordsQuarantined"), dataset);
            assertEquals(object.get("duplicates").asDouble(), blob.value("RecordsDuplicate"), dataset);
            assertEquals(object.get("failed").asDouble(), blob.value("RecordsFailed"), dataset);
            assertEquals(object.get("parts_written").asDouble(), blob.value("PartsWritten"), dataset);
            assertEquals(object.get("bytes_written").asDouble(), blob.value("BytesWritten"), dataset);
            assertEquals(0, blob.value("Continuations"), dataset);
            assertEquals("Bytes", blob.units().get("BytesWritten"));
        }
        assertEquals(4, blobs.stream().filter(b -> "orders".equals(b.dimension("dataset"))).findFirst().orElseThrow()
                .value("RecordsIn"));
        assertEquals(2, report.get("objects").get(0).get("parts_written").asInt(), "one data part, one quarantine part");
        assertTrue(report.get("objects").get(0).get("bytes_written").asLong() > 0, report.toString());
    }

    @Test
    void aRepeatedDeliveryCountsDuplicatesAndWritesNothing() {
        String once = event(fixture.put("orders/2026-11-25/twice.jsonl", utf8(orders(1, 2))));
        invoke(once, new FakeContext("S3IngestFunction"));

        invoke(once, new FakeContext("S3IngestFunction"));

        EmfBlob again = EmfBlob.of(printed.get(1).metrics().get(0));
        assertEquals(2, again.value("RecordsDuplicate"));
        assertEquals(0, again.value("PartsWritten"));
        assertEquals(0, again.value("BytesWritten"));
    }

    @Test
    void anEventWithNoObjectStillEmitsItsZeroCountsUnderTheServiceAlone() {
        invoke("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"" + S3Fixture.LANDING + "\"}",
                new FakeContext("S3IngestFunction"));

        List<JsonNode> metrics = printed.get(0).metrics();
        assertEquals(1, metrics.size(), metrics.toString());
        EmfBlob blob = EmfBlob.of(metrics.get(0));
        assertEquals(List.of(List.of("service")), blob.dimensionSets());
        assertEquals(0, blob.value("RecordsIn"));
    }

    @Test
    void everyLogLineAboutAnObjectNamesTheFunctionTheRequestAndTheObjectVersion() {
        ObjectNode record = fixture.put("orders/2026-11-25/logged.jsonl", utf8(orders(1, 2)));
        String versionId = record.get("s3").get("object").get("versionId").asText();
        FakeContext context = new FakeContext("S3IngestFunction");

        invoke(event(record), context);

        List<JsonNode> logs = printed.get(0).logs();
        List<JsonNode> aboutTheObject = logs.stream()
                .filter(line -> line.path("message").asText().contains("orders/2026-11-25/logged.jsonl")).toList();
        assertTrue(!aboutTheObject.isEmpty(), logs.toString());
        for (JsonNode line : logs) {
            assertEquals("S3IngestFunction", line.path("function_name").asText(), line.toString());
            assertEquals(context.getAwsRequestId(), line.path("function_request_id").asText(), line.toString());
            assertTrue(line.has("level") && line.has("timestamp"), line.toString());
        }
        for (JsonNode line : aboutTheObject) {
            assertEquals("s3://" + S3Fixture.LANDING + "/orders/2026-11-25/logged.jsonl?versionId=" + versionId,
                    line.path("correlation_id").asText(), line.toString());
        }
    }

    private JsonNode invoke(String event, FakeContext context) {
        return PrintedLines.capture(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
                return MAPPER.readTree(out.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, printed);
    }
}
