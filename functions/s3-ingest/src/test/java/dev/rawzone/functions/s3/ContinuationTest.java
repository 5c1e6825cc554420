package dev.rawzone.functions.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.testkit.EmfBlob;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FakeContext;
import dev.rawzone.testkit.PrintedLines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static dev.rawzone.functions.s3.S3Fixture.MAPPER;
import static dev.rawzone.functions.s3.S3Fixture.assertCountsAddUp;
import static dev.rawzone.functions.s3.S3Fixture.event;
import static dev.rawzone.functions.s3.S3Fixture.gzip;
import static dev.rawzone.functions.s3.S3Fixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Objects that need several invocations: each invocation is given time for {@value #SEGMENTS_PER_INVOCATION}
 * segments of {@value #SEGMENT_LINES} lines, then stops and hands the object to the continuation queue, whose
 * messages the test delivers as the event source mapping would.
 */
class ContinuationTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private static final int SEGMENT_LINES = 4;
    private static final int SEGMENTS_PER_INVOCATION = 3;
    private static final int MARGIN_MILLIS = 60_000;
    private static final int LINES = 50;

    private S3Fixture fixture;
    private SqsClient sqs;
    private String queueUrl;
    private S3IngestHandler handler;

    @BeforeEach
    void setUp() {
        fixture = new S3Fixture(EMULATOR.emulator());
        sqs = new AwsClients(EMULATOR.emulator().environment()).sqs();
        queueUrl = sqs.createQueue(q -> q.queueName("continuations-" + System.nanoTime())).queueUrl();
        handler = handlerWithQueue(queueUrl);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"orders/big.jsonl", "orders/big.jsonl.gz", "customers/big.csv"})
    void anObjectNeedingSeveralInvocationsLandsOnceAndItsManifestCoversThemAll(String key) {
        String body = key.endsWith(".csv") ? customers(LINES) : orders(LINES);
        byte[] bytes = key.endsWith(".gz") ? gzip(utf8(body)) : utf8(body);
        List<JsonNode> reports = new ArrayList<>();

        reports.add(invoke(handler, event(fixture.put(key, bytes))));
        reports.addAll(drainQueue(handler));

        int records = key.endsWith(".csv") ? body.split("@example.com").length - 1 : LINES;
        assertTrue(reports.size() >= 3, "several invocations: " + reports.size());
        assertEquals(List.of("CONTINUED"), outcomes(reports.subList(0, reports.size() - 1)).stream().distinct().toList());
        assertEquals("INGESTED", outcomes(reports).get(reports.size() - 1));
        reports.forEach(S3Fixture::assertCountsAddUp);
        assertEquals(records, reports.stream().mapToLong(report -> report.get("in").asLong()).sum(),
                "every record counted in exactly one invocation");
        assertLandedOnce(records);
        JsonNode manifest = onlyManifest();
        assertEquals(records, manifest.get("counts").get("in").asLong(), manifest.toString());
        assertEquals(reports.size(), manifest.get("invocations").asInt());
        assertEquals(fixture.keys("raw/").size() + fixture.keys("quarantine/").size(),
                manifest.get("data_parts").size() + manifest.get("quarantine_parts").size(), "the manifest lists every part");
    }

    @Test
    void anInvocationThatFailsToHandOffIsRetriedAndGoesOnFromWhereItStopped() {
        ObjectNode record = fixture.put("orders/handoff.jsonl", utf8(orders(LINES)));
        S3IngestHandler lostQueue = handlerWithQueue(queueUrl.replace("continuations-", "deleted-"));
        assertThrows(RuntimeException.class, () -> invoke(lostQueue, event(record)));

        JsonNode retry = invoke(handler, event(record));
        List<JsonNode> rest = drainQueue(handler);

        long firstStop = (long) SEGMENT_LINES * SEGMENTS_PER_INVOCATION;
        assertEquals(LINES - firstStop, retry.get("in").asLong()
                + rest.stream().mapToLong(report -> report.get("in").asLong()).sum(), "the retry skips what was read");
        assertLandedOnce(LINES);
        JsonNode manifest = onlyManifest();
        assertEquals(LINES, manifest.get("counts").get("in").asLong());
        assertEquals(2 + rest.size(), manifest.get("invocations").asInt(), "the failed one, the retry, the continuations");
    }

    @Test
    void aFailedHandOffIsNotCountedAsAContinuation() {
        ObjectNode record = fixture.put("orders/handoff-metric.jsonl", utf8(orders(LINES)));
        S3IngestHandler lostQueue = handlerWithQueue(queueUrl.replace("continuations-", "deleted-"));
        List<PrintedLines> printed = new ArrayList<>();

        assertThrows(RuntimeException.class, () -> PrintedLines.capture(() -> invoke(lostQueue, event(record)), printed));

        EmfBlob figures = EmfBlob.of(printed.get(0).metrics().get(0));
        assertEquals(0, figures.value("Continuations"), "nothing was handed on");
        assertEquals(SEGMENT_LINES * SEGMENTS_PER_INVOCATION, figures.value("RecordsIn"), "what was read is counted");
    }

    @Test
    void anObjectChangedAfterItsManifestIsReportedAsItsRecordsAlreadyIngested() {
        ObjectNode record = fixture.put("orders/done-then-changed.jsonl", utf8(orders(LINES)));
        ((ObjectNode) record.get("s3").get("object")).remove("versionId"); // identified by its ETag, as if unversioned
        invoke(handler, event(record));
        drainQueue(handler);
        fixture.put("orders/done-then-changed.jsonl", utf8(S3Fixture.orders(1001, 1000 + LINES)));

        JsonNode again = invoke(handler, event(record)).get("objects").get(0);

        assertEquals("ALREADY_INGESTED", again.get("outcome").asText(), again.toString());
        assertEquals(Map.of("in", (long) LINES, "duplicates", (long) LINES), nonZero(again), again.toString());
    }

    @Test
    void aContinuationDeliveredTwiceAndTheNotificationAgainWriteEveryRecordOnce() {
        ObjectNode record = fixture.put("orders/twice.jsonl", utf8(orders(LINES)));
        invoke(handler, event(record));
        Message continuation = receive().get(0);

        List<JsonNode> reports = new ArrayList<>();
        reports.add(invoke(handler, sqsEvent(List.of(continuation))));
        reports.add(invoke(handler, sqsEvent(List.of(continuation))));
        reports.add(invoke(handler, event(record)));
        reports.addAll(drainQueue(handler));

        reports.forEach(S3Fixture::assertCountsAddUp);
        assertLandedOnce(LINES);
        JsonNode manifest = onlyManifest();
        assertEquals(LINES, manifest.get("counts").get("in").asLong(), manifest.toString());
        assertEquals(0, manifest.get("counts").get("failed").asLong());
        assertTrue(outcomes(reports).contains("ALREADY_INGESTED"), "the later chains find the object done: " + outcomes(reports));
    }

    @Test
    void aStopNeverFallsInsideAPartAnEarlierAttemptCutElsewhere() throws IOException {
        ObjectNode record = fixture.put("orders/earlier.jsonl", utf8(orders(LINES)));
        invoke(fixture.handler(Map.of("PART_MAX_RECORDS", "20")), event(record));
        forgetTheManifestAndTheSegment(); // as left by a pipeline before segments, timed out before its manifest

        List<JsonNode> reports = new ArrayList<>();
        reports.add(invoke(handler, event(record)));
        reports.addAll(drainQueue(handler));

        reports.forEach(S3Fixture::assertCountsAddUp);
        assertLandedOnce(LINES);
        assertEquals(LINES, reports.stream().mapToLong(report -> report.get("written").asLong()
                + report.get("duplicates").asLong()).sum(), "every record written or found written, once");
    }

    private void forgetTheManifestAndTheSegment() throws IOException {
        for (String key : fixture.keys("manifests/s3/")) {
            if (key.contains("/decisions/")) {
                ObjectNode decision = (ObjectNode) MAPPER.readTree(
                        fixture.s3.getObjectAsBytes(g -> g.bucket(S3Fixture.RAW).key(key)).asByteArray());
                decision.remove("segment");
                fixture.s3.putObject(p -> p.bucket(S3Fixture.RAW).key(key),
                        RequestBody.fromBytes(MAPPER.writeValueAsBytes(decision)));
            } else {
                fixture.s3.deleteObject(d -> d.bucket(S3Fixture.RAW).key(key));
            }
        }
    }

    /** The second name is as long as a stem's readable part gets: its rest's name is the longest one written. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"orders/changing.jsonl", "orders/a-name-of-forty-characters-changing-0123.jsonl"})
    void anObjectChangedBetweenInvocationsIsClosedWithTheReasonAndNothingOfTheNewContent(String key) {
        ObjectNode record = fixture.put(key, utf8(orders(LINES)));
        ((ObjectNode) record.get("s3").get("object")).remove("versionId"); // identified by its ETag, as if unversioned
        JsonNode first = invoke(handler, event(record));
        fixture.put(key, utf8(S3Fixture.orders(1001, 1000 + LINES)));

        List<JsonNode> rest = drainQueue(handler);

        assertEquals("CONTINUED", outcomes(List.of(first)).get(0));
        JsonNode closed = rest.get(0).get("objects").get(0);
        assertEquals("SUPERSEDED", closed.get("outcome").asText(), closed.toString());
        long read = first.get("in").asLong();
        assertTrue(closed.get("reason").asText().contains("changed after 1 invocation(s) had read lines 1-" + read),
                closed.toString());
        assertEquals(Map.of("in", 1L, "quarantined", 1L), nonZero(closed), "the unread rest is one unit");
        assertLandedOnce((int) read + 1);
        JsonNode unreadRest = fixture.quarantined().stream().filter(q -> q.get("line").asLong() == read + 1)
                .findFirst().orElseThrow();
        assertTrue(unreadRest.get("reason").asText().contains("the rest, from line " + (read + 1) + ", is not read"),
                unreadRest.toString());
        assertTrue(fixture.keys("quarantine/").stream().anyMatch(part -> part.endsWith(
                String.format("-%012d-rest.jsonl.gz", read + 1))), fixture.keys("quarantine/").toString());
        JsonNode manifest = onlyManifest();
        assertEquals("SUPERSEDED", manifest.get("outcome").asText());
        assertCountsItsParts(manifest, read + 1);
        assertEquals(fixture.keys("quarantine/").size(), manifest.get("quarantine_parts").size(), manifest.toString());
    }

    @Test
    void partsPublishedPastTheStopByACrashedAttemptAreInTheManifestAndTheUnreadRestStartsAfterThem() {
        ObjectNode record = putUnversioned("orders/crashed-then-changed.jsonl");
        long stop = readTwoInvocationsThenForgetTheSecondStop(record);
        fixture.put("orders/crashed-then-changed.jsonl", utf8(S3Fixture.orders(1001, 1000 + LINES)));

        JsonNode closed = drainQueue(handler).get(0).get("objects").get(0);

        long pastStop = 2L * stop;
        assertEquals("SUPERSEDED", closed.get("outcome").asText(), closed.toString());
        assertEquals(Map.of("in", stop + 1, "quarantined", 1L, "duplicates", stop), nonZero(closed),
                "the parts past the stop are found settled, the unread rest is one unit: " + closed);
        assertLandedOnce((int) pastStop + 1);
        assertTrue(fixture.keys("quarantine/").stream().anyMatch(key -> key.endsWith(
                String.format("-%012d-rest.jsonl.gz", pastStop + 1))), fixture.keys("quarantine/").toString());
        assertEquals(List.of(pastStop + 1), restEntryLines(), "the rest starts after what the parts hold");
        JsonNode manifest = onlyManifest();
        assertCountsItsParts(manifest, pastStop + 1);
        assertEquals(fixture.keys("raw/").size(), manifest.get("data_parts").size(), "the manifest lists every part");
        assertEquals(fixture.keys("quarantine/").size(), manifest.get("quarantine_parts").size(), manifest.toString());
    }

    @Test
    void partsOfAFirstInvocationThatCrashedBeforeRecordingAnyStopAreInTheManifestOfTheOverwrittenObject() {
        ObjectNode record = putUnversioned("orders/first-crashed-then-changed.jsonl");
        long published = invoke(handler, event(record)).get("in").asLong();
        // as if it had crashed after publishing its parts, before recording its stop and handing the object on
        List<String> stops = fixture.keys("manifests/s3/progress/");
        assertEquals(1, stops.size(), stops.toString());
        fixture.s3.deleteObject(d -> d.bucket(S3Fixture.RAW).key(stops.get(0)));
        receive().forEach(m -> sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        fixture.put("orders/first-crashed-then-changed.jsonl", utf8(S3Fixture.orders(1001, 1000 + LINES)));

        JsonNode closed = invoke(handler, event(record)).get("objects").get(0);

        assertEquals("SUPERSEDED", closed.get("outcome").asText(), closed.toString());
        assertTrue(closed.get("reason").asText().startsWith("changed before any invocation had recorded a stop"),
                closed.toString());
        assertEquals(Map.of("in", published + 1, "quarantined", 1L, "duplicates", published), nonZero(closed),
                "the first attempt's parts are found settled, the unread rest is one unit: " + closed);
        assertLandedOnce((int) published + 1);
        assertEquals(List.of(published + 1), restEntryLines(), "the rest starts after what the parts hold");
        JsonNode manifest = onlyManifest();
        assertCountsItsParts(manifest, published + 1);
        assertEquals(fixture.keys("raw/").size(), manifest.get("data_parts").size(), "the manifest lists every part");
        assertEquals(fixture.keys("quarantine/").size(), manifest.get("quarantine_parts").size(), manifest.toString());
    }

    @Test
    void aLineNoPublishedPartHoldsIsInTheUnreadRestAndThePartPastItIsCountedOnce() {
        ObjectNode record = putUnversioned("orders/crashed-mid-segment.jsonl");
        long stop = readTwoInvocationsThenForgetTheSecondStop(record);
        // the crash came before the quarantine part of line 14 (bad JSON) was written, after the data part of 13-16
        String dataPart = String.format("-%012d.jsonl.gz", stop + 1);
        for (String key : fixture.keys("")) {
            if (!key.startsWith("manifests/") && !key.endsWith(dataPart) && firstLine(key) > stop) {
                fixture.s3.deleteObject(d -> d.bucket(S3Fixture.RAW).key(key));
            }
        }
        fixture.put("orders/crashed-mid-segment.jsonl", utf8(S3Fixture.orders(1001, 1000 + LINES)));

        JsonNode closed = drainQueue(handler).get(0).get("objects").get(0);

        assertEquals("SUPERSEDED", closed.get("outcome").asText(), closed.toString());
        assertEquals(List.of(stop + 1), restEntryLines(), "line 14 is held by no part: the rest starts at 13");
        assertTrue(closed.get("reason").asText().contains("less the lines held by the 1 of those part(s)"),
                closed.toString());
        JsonNode manifest = onlyManifest();
        long partRecords = SEGMENT_LINES - 1;
        assertCountsItsParts(manifest, stop + partRecords + 1);
        assertTrue(manifest.get("data_parts").toString().contains(dataPart), manifest.toString());
    }

    /**
     * Two invocations read the object, the second stopping after twice as many lines as the first; then its
     * progress file is deleted, as if it had crashed after publishing its parts and before recording its stop.
     * Leaves the second invocation's continuation in the queue; returns the first stop.
     */
    private long readTwoInvocationsThenForgetTheSecondStop(ObjectNode record) {
        JsonNode first = invoke(handler, event(record));
        Message continuation = receive().get(0);
        invoke(handler, sqsEvent(List.of(continuation)));
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(continuation.receiptHandle()));
        long stop = first.get("in").asLong();
        String secondStop = String.format("/%015d.json", 2 * stop);
        List<String> stops = fixture.keys("manifests/s3/progress/");
        assertEquals(2, stops.size(), stops.toString());
        fixture.s3.deleteObject(d -> d.bucket(S3Fixture.RAW).key(stops.stream().filter(key -> key.endsWith(secondStop))
                .findFirst().orElseThrow()));
        return stop;
    }

    private ObjectNode putUnversioned(String key) {
        ObjectNode record = fixture.put(key, utf8(orders(LINES)));
        ((ObjectNode) record.get("s3").get("object")).remove("versionId"); // identified by its ETag, as if unversioned
        return record;
    }

    /** The manifest counts {@code in} records, and as written and quarantined exactly what the parts hold. */
    private void assertCountsItsParts(JsonNode manifest, long in) {
        assertEquals(Map.of("in", in, "written", (long) fixture.rawRecords().size(),
                "quarantined", (long) fixture.quarantined().size()), nonZero(manifest.get("counts")), manifest.toString());
    }

    private static long firstLine(String key) {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("-([0-9]{12})\\.jsonl\\.gz$").matcher(key);
        return line.find() ? Long.parseLong(line.group(1)) : 0;
    }

    private List<Long> restEntryLines() {
        return fixture.quarantined().stream().filter(q -> q.get("reason").asText().contains("is not read"))
                .map(q -> q.get("line").asLong()).toList();
    }

    private static Map<String, Long> nonZero(JsonNode counts) {
        Map<String, Long> nonZero = new TreeMap<>();
        for (String count : List.of("in", "written", "quarantined", "duplicates", "failed")) {
            if (counts.get(count).asLong() != 0) {
                nonZero.put(count, counts.get(count).asLong());
            }
        }
        return nonZero;
    }

    private S3IngestHandler handlerWithQueue(String url) {
        return fixture.handler(Map.of("CONTINUATION_QUEUE_URL", url, "CONTINUE_MARGIN_MILLIS",
                Integer.toString(MARGIN_MILLIS), "PART_MAX_RECORDS", Integer.toString(SEGMENT_LINES)));
    }

    /** One invocation, given time for {@link #SEGMENTS_PER_INVOCATION} segments (one question per segment end). */
    private static JsonNode invoke(S3IngestHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int step = 1_000;
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    FakeContext.countingDown("S3IngestFunction",
                            MARGIN_MILLIS + (SEGMENTS_PER_INVOCATION - 1) * step - 1, step));
            return MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Delivers the queue's messages one at a time, as the event source mapping with batch size 1 does. */
    private List<JsonNode> drainQueue(S3IngestHandler handler) {
        List<JsonNode> reports = new ArrayList<>();
        for (List<Message> messages = receive(); !messages.isEmpty(); messages = receive()) {
            for (Message message : messages) {
                reports.add(invoke(handler, sqsEvent(List.of(message))));
                sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return reports;
    }

    private List<Message> receive() {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(60)).messages();
    }

    private static String sqsEvent(List<Message> messages) {
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            records.addObject().put("messageId", message.messageId()).put("receiptHandle", message.receiptHandle())
                    .put("body", message.body()).put("eventSource", "aws:sqs")
                    .put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:continuations").put("awsRegion", "us-east-1");
        }
        return event.toString();
    }

    private void assertLandedOnce(int records) {
        List<String> landed = new ArrayList<>();
        fixture.rawRecords().forEach(r -> landed.add(r.has("order_id") ? r.get("order_id").asText() : r.get("customer_id").asText()));
        fixture.quarantined().forEach(q -> landed.add("line " + q.get("line").asLong()));
        assertEquals(records, landed.size(), "every record in exactly one part: " + landed);
        assertEquals(records, landed.stream().distinct().count(), "no record twice: " + landed);
    }

    private JsonNode onlyManifest() {
        List<String> manifests = fixture.manifestKeys().stream().filter(key -> !key.contains("/progress/")).toList();
        assertEquals(1, manifests.size(), manifests.toString());
        try {
            return MAPPER.readTree(fixture.s3.getObjectAsBytes(g -> g.bucket(S3Fixture.RAW).key(manifests.get(0))).asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> outcomes(List<JsonNode> reports) {
        return reports.stream().map(report -> report.get("objects").get(0).get("outcome").asText()).toList();
    }

    /** Orders with a line of bad JSON every seventh line (quarantined) and CRLF line ends. */
    private static String orders(int lines) {
        StringBuilder text = new StringBuilder("\uFEFF");
        IntStream.rangeClosed(1, lines).forEach(i -> text.append(i % 7 == 0 ? "{not json" : S3Fixture.order(i)).append("\r\n"));
        return text.toString();
    }

    /** A header, then customers; every fifth one has a quoted name across two lines. */
    private static String customers(int lines) {
        StringBuilder text = new StringBuilder("customer_id,name,email,country\n");
        int line = 2;
        for (int i = 1; line <= lines; i++) {
            boolean twoLines = i % 5 == 0 && line < lines;
            text.append("c-").append(i).append(twoLines ? ",\"Ada\nLovelace\"" : ",Ada").append(",ada@example.com,GB\n");
            line += twoLines ? 2 : 1;
        }
        return text.toString();
    }
}
