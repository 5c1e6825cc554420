package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.s3.ObjectIngestFailure;
import dev.rawzone.core.s3.ObjectOutcome;
import dev.rawzone.testkit.EmfBlob;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FaultInjectingProxy;
import dev.rawzone.testkit.PrintedLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.gzip;
import static dev.rawzone.functions.s3.S3Fixture.orders;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Throttling, 5xx and crashes part-way, injected by a proxy between the handler and the emulator. */
class S3IngestFailureTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private S3Fixture fixture;
    private FaultInjectingProxy proxy;
    private S3IngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new S3Fixture(EMULATOR.emulator());
        proxy = new FaultInjectingProxy(EMULATOR.emulator().endpoint());
        handler = new S3IngestHandler(S3IngestWiring.fromEnvironment(
                fixture.environment(proxy.endpoint(), Map.of("PART_MAX_RECORDS", "2"))));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    @Test
    void aSingleThrottleIsRetriedAndNothingIsDuplicated() {
        proxy.fail(FaultInjectingProxy.putTo("/raw/s3/"), 1, 503, "SlowDown");

        ObjectNode report = fixture.invoke(handler, event(fixture.put("orders/throttled.jsonl", utf8(orders(1, 5)))));

        assertEquals(1, proxy.injectedFaults());
        assertEquals(5, report.get("written").asLong());
        assertCountsAddUp(report);
        assertEachOrderOnce(5);
    }

    @Test
    void aCrashBetweenPartsThenARetryWritesOnlyTheMissingParts() {
        ObjectNode record = fixture.put("orders/crash.jsonl", utf8(orders(1, 5)));
        proxy.fail(FaultInjectingProxy.putTo("-000000000003.jsonl.gz"), 100, 500, "InternalError");

        ObjectIngestFailure failure = assertThrows(ObjectIngestFailure.class, () -> fixture.invoke(handler, event(record)));
        assertEquals(5, failure.report().counts().in(), "line 5 was read while the part of lines 3-4 was written");
        assertEquals(2, failure.report().counts().written());
        assertEquals(3, failure.report().counts().failed(), "lines 3-4 with their part, line 5 for want of one");
        assertTrue(failure.report().counts().addsUp());
        assertEquals(1, fixture.keys("raw/").size());

        ObjectNode retry = invokeWithoutFaults(record);

        assertEquals(3, retry.get("written").asLong());
        assertEquals(2, retry.get("duplicates").asLong());
        assertCountsAddUp(retry);
        assertEachOrderOnce(5);
    }

    @Test
    void aCrashAfterTheDataBeforeTheManifestLeavesNothingToRewrite() {
        ObjectNode record = fixture.put("orders/late-crash.jsonl", utf8(orders(1, 4)));
        proxy.fail(FaultInjectingProxy.putTo("/manifests/s3/orders/"), 100, 503, "SlowDown");

        assertThrows(RuntimeException.class, () -> fixture.invoke(handler, event(record)));
        assertEquals(List.of(), fixture.keys("manifests/s3/orders/"));
        int versions = fixture.versionCount();

        ObjectNode retry = invokeWithoutFaults(record);

        assertEquals(4, retry.get("duplicates").asLong());
        assertEquals(0, retry.get("written").asLong());
        assertEquals(versions + 1, fixture.versionCount(), "only the manifest is new");
        assertEachOrderOnce(4);
    }

    @Test
    void anEventThatFailsAtItsSecondObjectsManifestStillEmitsTheCountsOfBoth() {
        ObjectNode orders = fixture.put("orders/first.jsonl", utf8(orders(1, 3)));
        ObjectNode customers = fixture.put("customers/second.csv",
                utf8("customer_id,name,email,country\nc-1,Ada,ada@example.com,GB\nc-2,Bob,bob@example.com,DE\n"));
        proxy.fail(FaultInjectingProxy.putTo("/manifests/s3/customers/"), 100, 503, "SlowDown");
        List<PrintedLines> printed = new ArrayList<>();

        ObjectIngestFailure failure = assertThrows(ObjectIngestFailure.class,
                () -> PrintedLines.capture(() -> fixture.invoke(handler, event(orders, customers)), printed));

        assertEquals(ObjectOutcome.FAILED, failure.report().outcome());
        assertTrue(failure.report().reason().orElseThrow().startsWith("its manifest was not written"),
                failure.report().reason().toString());

        List<EmfBlob> blobs = printed.get(0).metrics().stream().map(EmfBlob::of).toList();
        assertEquals(2, blobs.size(), blobs.toString());
        EmfBlob first = blobs.stream().filter(blob -> "orders".equals(blob.dimension("dataset"))).findFirst().orElseThrow();
        assertEquals(3, first.value("RecordsIn"));
        assertEquals(3, first.value("RecordsWritten"));
        EmfBlob second = blobs.stream().filter(blob -> "customers".equals(blob.dimension("dataset"))).findFirst()
                .orElseThrow();
        assertEquals(2, second.value("RecordsIn"));
        assertEquals(2, second.value("RecordsFailed"), "not done until its manifest is");
        assertEquals(0, second.value("RecordsWritten"));
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void aBodyThatEndsBeforeItsLengthIsATransientFailureNotTheEndOfTheObject(boolean gzipped) {
        byte[] body = gzipped ? gzip(utf8(orders(1, 400))) : utf8(orders(1, 400));
        ObjectNode record = fixture.put("orders/cut-short.jsonl" + (gzipped ? ".gz" : ""), body);
        proxy.cutBody(FaultInjectingProxy.getOf("/orders/cut-short"), 1, body.length / 2);

        ObjectIngestFailure failure = assertThrows(ObjectIngestFailure.class, () -> fixture.invoke(handler, event(record)));

        assertEquals(1, proxy.injectedFaults());
        assertEquals(ObjectOutcome.FAILED, failure.report().outcome());
        assertTrue(failure.getCause().getMessage().contains("of " + body.length + " bytes"), failure.getCause().toString());
        assertTrue(failure.report().counts().addsUp());
        assertEquals(List.of(), fixture.manifestKeys());
        assertEquals(List.of(), fixture.keys("quarantine/"));

        ObjectNode retry = invokeWithoutFaults(record);

        assertEquals(400, retry.get("written").asLong() + retry.get("duplicates").asLong(), retry.toString());
        assertEachOrderOnce(400);
    }

    private ObjectNode invokeWithoutFaults(ObjectNode record) {
        S3IngestHandler direct = fixture.handler(Map.of("PART_MAX_RECORDS", "2"));
        return fixture.invoke(direct, event(record));
    }

    private void assertEachOrderOnce(int count) {
        List<String> ids = fixture.rawRecords().stream().map(r -> r.get("order_id").asText()).sorted().toList();
        assertEquals(count, ids.size(), ids.toString());
        assertEquals(count, ids.stream().distinct().count(), ids.toString());
    }
}
