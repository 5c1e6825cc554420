package dev.rawzone.functions.stream;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.config.AwsClients;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FaultInjectingProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rawzone.functions.stream.StreamFixture.SHARD;
import static dev.rawzone.functions.stream.StreamFixture.assertCounts;
import static dev.rawzone.functions.stream.StreamFixture.event;
import static dev.rawzone.functions.stream.StreamFixture.failures;
import static dev.rawzone.functions.stream.StreamFixture.ids;
import static dev.rawzone.functions.stream.StreamFixture.invoke;
import static dev.rawzone.functions.stream.StreamFixture.mixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lambda's retries against the emulator: throttled and failing writes injected by a proxy, a process crash injected
 * between two writes or between the writes and the ledger, then the retries Lambda would make (from the reported
 * record, with another batch size, or bisected). Each test reads the raw zone back: every record exactly once.
 */
class StreamIngestFailureTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();

    private StreamFixture fixture;
    private FaultInjectingProxy proxy;

    @BeforeEach
    void setUp() {
        fixture = new StreamFixture(EMULATOR.emulator());
        proxy = new FaultInjectingProxy(EMULATOR.emulator().endpoint());
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    @Test
    void aSingleThrottledWriteIsRetriedByTheSdkAndNothingIsDuplicated() {
        proxy.fail(FaultInjectingProxy.putTo("/raw/kinesis/"), 1, 503, "SlowDown");
        StreamIngestHandler handler = fixture.handler(proxy.endpoint(), fixture.checkpoints(), Map.of());

        StreamIngestHandler.Outcome outcome = invoke(handler, event(mixed(SHARD, 1, 10)));

        assertEquals(1, proxy.injectedFaults());
        assertEquals(List.of(), failures(outcome));
        assertCounts(new Counts(10, 10, 0, 0, 0), outcome);
        fixture.assertEachOnce(ids(mixed(SHARD, 1, 10)));
    }

    /**
     * Another invocation ingests the same batch between this one's ledger read and its pin: the pin's conditional
     * write to DynamoDB meets the other's advance, is merged with the stored ledger, and the records are decided
     * with that ledger, so they are all duplicates and nothing is written twice.
     */
    @Test
    void aPinThatMeetsAConcurrentAdvanceIsMergedAndNothingIsWrittenTwice() {
        List<StreamFixture.Entry> entries = mixed(SHARD, 1, 10);
        StreamIngestHandler other = fixture.handler(Map.of());
        CheckpointStore dynamoDb = fixture.checkpoints();
        AtomicBoolean raced = new AtomicBoolean();
        CheckpointStore racing = new CheckpointStore() {
            @Override
            public Checkpoint get(String key) {
                return dynamoDb.get(key);
            }

            @Override
            public Checkpoint advance(Checkpoint current, Map<String, String> next) {
                if (raced.compareAndSet(false, true)) {
                    assertCounts(new Counts(10, 10, 0, 0, 0), invoke(other, event(entries)));
                }
                return dynamoDb.advance(current, next);
            }
        };
        StreamIngestHandler handler = fixture.handler(EMULATOR.emulator().endpoint(), racing, Map.of());

        StreamIngestHandler.Outcome outcome = invoke(handler, event(entries));

        assertEquals(List.of(), failures(outcome));
        assertCounts(new Counts(10, 0, 0, 10, 0), outcome);
        fixture.assertEachOnce(ids(entries));
    }

    /**
     * The customers part cannot be written (throttled past the SDK's retries): the first customer is reported, the
     * orders stay written, and Lambda re-delivers from the reported record in batches of another size.
     */
    @Test
    void aPartialFailureIsRetriedFromTheReportedRecordWithAnotherBatchSize() {
        proxy.fail(FaultInjectingProxy.putTo("/raw/kinesis/customers/"), 1000, 503, "SlowDown");
        StreamIngestHandler throttled = fixture.handler(proxy.endpoint(), fixture.checkpoints(), Map.of());
        List<StreamFixture.Entry> entries = mixed(SHARD, 1, 20);

        StreamIngestHandler.Outcome first = invoke(throttled, event(entries));

        assertEquals(List.of(StreamFixture.sequence(2)), failures(first));
        assertCounts(new Counts(20, 10, 0, 0, 10), first);
        assertEquals(10, fixture.rawIds().size(), "the orders are written");

        StreamIngestHandler healthy = fixture.handler(Map.of());
        StreamIngestHandler.Outcome small = invoke(healthy, event(entries.subList(1, 7)));
        StreamIngestHandler.Outcome rest = invoke(healthy, event(entries.subList(7, 20)));

        assertCounts(new Counts(6, 3, 0, 3, 0), small);
        assertCounts(new Counts(13, 7, 0, 6, 0), rest);
        fixture.assertEachOnce(ids(entries));
    }

    /**
     * Lambda gives a range up: batch B's customers cannot be written however often it is retried from the reported
     * record, so after the retry limit the event source mapping sends B's range (from the reported record) to the
     * on-failure destination and delivers C. Re-driven later, exactly that range (re-read from the stream) has its
     * customers written once and its orders, written by B's first attempt, skipped; C delivered again is all
     * duplicates.
     */
    @Test
    void aRangeGivenUpToTheOnFailureDestinationIsWrittenOnceWhenReDriven() {
        List<StreamFixture.Entry> a = mixed(SHARD, 1, 6);
        List<StreamFixture.Entry> b = mixed(SHARD, 7, 6);
        List<StreamFixture.Entry> c = mixed(SHARD, 13, 6);
        List<StreamFixture.Entry> givenUp = b.subList(1, 6); // from the first customer, sequence 8
        StreamIngestHandler healthy = fixture.handler(Map.of());
        proxy.fail(FaultInjectingProxy.putTo("/raw/kinesis/customers/"), 1000, 503, "SlowDown");
        StreamIngestHandler throttled = fixture.handler(proxy.endpoint(), fixture.checkpoints(), Map.of());

        assertCounts(new Counts(6, 6, 0, 0, 0), invoke(healthy, event(a)));
        StreamIngestHandler.Outcome failing = invoke(throttled, event(b));
        StreamIngestHandler.Outcome stillFailing = invoke(throttled, event(givenUp));
        StreamIngestHandler.Outcome next = invoke(healthy, event(c));

        assertEquals(List.of(StreamFixture.sequence(8)), failures(failing));
        assertCounts(new Counts(6, 3, 0, 0, 3), failing);
        assertEquals(List.of(StreamFixture.sequence(8)), failures(stillFailing));
        assertCounts(new Counts(6, 6, 0, 0, 0), next);
        String hole = "hole:" + StreamFixture.sequence(8);
        String openUntil = fixture.ledger(StreamFixture.ARN, SHARD).state().get(hole);

        StreamIngestHandler.Outcome redriven = invoke(healthy, event(givenUp));
        StreamIngestHandler.Outcome nextAgain = invoke(healthy, event(c));

        assertEquals(List.of(), failures(redriven));
        assertCounts(new Counts(5, 3, 0, 2, 0), redriven);
        assertCounts(new Counts(6, 0, 0, 6, 0), nextAgain);
        List<StreamFixture.Entry> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        fixture.assertEachOnce(ids(all));
        assertEquals(StreamFixture.sequence(13), openUntil, "the range given up was kept open in the ledger");
        assertEquals(null, fixture.ledger(StreamFixture.ARN, SHARD).state().get(hole), "and settled from 8 on once re-driven");
    }

    @Test
    void aCrashBetweenTheWritesAndTheLedgerThenTheSameBatchAgainWritesNothingNew() {
        StreamFixture.CrashingStore store = new StreamFixture.CrashingStore(fixture.checkpoints());
        store.crashAdvancesAfterThePin(1);
        StreamIngestHandler handler = fixture.handler(EMULATOR.emulator().endpoint(), store, Map.of());
        List<StreamFixture.Entry> entries = mixed(SHARD, 1, 10);

        assertThrows(StreamFixture.Crash.class, () -> invoke(handler, event(entries)));
        int versions = fixture.objectVersions();
        assertEquals(2, versions, "both parts were written before the crash");

        StreamIngestHandler.Outcome retry = invoke(handler, event(entries));

        assertCounts(new Counts(10, 0, 0, 10, 0), retry);
        assertEquals(versions, fixture.objectVersions(), "no part rewritten, no new version");
        fixture.assertEachOnce(ids(entries));
    }

    /**
     * A crash after the orders part, before the customers part; Lambda bisects the batch. The first half finds the
     * orders part by its key, which reaches into the second half; the ledger keeps that reach, so the second half
     * skips those orders instead of writing them again under a key of its own.
     */
    @Test
    void aCrashBetweenTwoPartsThenBisectedBatchesWriteEachRecordOnce() {
        AtomicInteger crashes = new AtomicInteger(1);
        S3Client crashing = crashOnPut("/customers/", crashes);
        StreamIngestHandler handler = new StreamIngestHandler(StreamIngestWiring.of(
                fixture.environment(EMULATOR.emulator().endpoint(), Map.of()), crashing, fixture.checkpoints()));
        List<StreamFixture.Entry> entries = mixed(SHARD, 1, 16);

        assertThrows(StreamFixture.Crash.class, () -> invoke(handler, event(entries)));
        assertEquals(1, fixture.keys("raw/kinesis/orders/").size());
        assertEquals(0, fixture.keys("raw/kinesis/customers/").size());

        StreamIngestHandler.Outcome firstHalf = invoke(handler, event(entries.subList(0, 8)));
        StreamIngestHandler.Outcome secondHalf = invoke(handler, event(entries.subList(8, 16)));

        assertCounts(new Counts(8, 4, 0, 4, 0), firstHalf);
        assertCounts(new Counts(8, 4, 0, 4, 0), secondHalf);
        fixture.assertEachOnce(ids(entries));
        assertEquals(3, fixture.keys("raw/kinesis/").size(), "the crashed attempt's orders part, a customers part per half");
    }

    /** Bisection of a batch that failed before writing anything: the halves, and their halves, settle in turn. */
    @Test
    void bisectedBatchesAfterAFailureBeforeAnyWriteAreEachWrittenOnce() {
        AtomicInteger crashes = new AtomicInteger(2);
        S3Client crashing = crashOnPut("/raw/", crashes);
        StreamIngestHandler handler = new StreamIngestHandler(StreamIngestWiring.of(
                fixture.environment(EMULATOR.emulator().endpoint(), Map.of()), crashing, fixture.checkpoints()));
        List<StreamFixture.Entry> entries = mixed(SHARD, 1, 12);

        assertThrows(StreamFixture.Crash.class, () -> invoke(handler, event(entries)));
        assertThrows(StreamFixture.Crash.class, () -> invoke(handler, event(entries.subList(0, 6))));
        List<Counts> counts = new ArrayList<>();
        for (List<StreamFixture.Entry> batch : List.of(entries.subList(0, 3), entries.subList(3, 6),
                entries.subList(6, 12))) {
            counts.add(invoke(handler, event(batch)).counts());
        }

        assertEquals(12, counts.stream().mapToLong(Counts::written).sum());
        fixture.assertEachOnce(ids(entries));
    }

    @Test
    void anUnreachableLedgerFailsTheShardFromItsFirstRecordAndWritesNothing() {
        FaultInjectingProxy ddb = new FaultInjectingProxy(EMULATOR.emulator().endpoint());
        try {
            ddb.fail(request -> request.method().equals("POST") && request.path().equals("/"), 1000, 500, "InternalError");
            Map<String, String> env = fixture.environment(ddb.endpoint(), Map.of());
            StreamIngestHandler handler = new StreamIngestHandler(StreamIngestWiring.of(
                    fixture.environment(EMULATOR.emulator().endpoint(), Map.of()), fixture.s3,
                    new dev.rawzone.core.checkpoint.DynamoDbCheckpointStore(new AwsClients(env).dynamoDbJson(),
                            StreamFixture.TABLE)));
            List<StreamFixture.Entry> entries = mixed(SHARD, 1, 4);

            StreamIngestHandler.Outcome outcome = invoke(handler, event(entries));

            assertEquals(List.of(StreamFixture.sequence(1)), failures(outcome));
            assertCounts(new Counts(4, 0, 0, 0, 4), outcome);
            assertEquals(List.of(), fixture.keys(""));
            assertCounts(new Counts(4, 4, 0, 0, 0), invoke(fixture.handler(Map.of()), event(entries)));
        } finally {
            ddb.close();
        }
    }

    @Test
    void aPoisonRecordAndAThrottledQuarantineWriteStillSettleEachRecordOnce() {
        List<StreamFixture.Entry> entries = new ArrayList<>(mixed(SHARD, 1, 3));
        entries.add(StreamFixture.entry(SHARD, 4, "not json at all"));
        entries.addAll(mixed(SHARD, 5, 3));
        proxy.fail(FaultInjectingProxy.putTo("/quarantine/"), 1000, 503, "SlowDown");
        StreamIngestHandler throttled = fixture.handler(proxy.endpoint(), fixture.checkpoints(), Map.of());

        StreamIngestHandler.Outcome first = invoke(throttled, event(entries));
        assertEquals(1, failures(first).size());
        String from = failures(first).get(0);
        int at = 0;
        while (!entries.get(at).sequence().toString().equals(from)) {
            at++;
        }
        StreamIngestHandler.Outcome retry = invoke(fixture.handler(Map.of()), event(entries.subList(at, entries.size())));

        assertEquals(List.of(), failures(retry));
        assertEquals(1, fixture.lines("quarantine/").size());
        assertTrue(first.counts().written() + retry.counts().written() == 6);
        fixture.assertEachOnce(ids(entries));
    }

    /** An S3 client that crashes the process (an Error) on the next puts whose key contains {@code keyPart}. */
    private S3Client crashOnPut(String keyPart, AtomicInteger crashes) {
        ExecutionInterceptor crash = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest put && ("/" + put.key()).contains(keyPart)
                        && crashes.getAndDecrement() > 0) {
                    throw new StreamFixture.Crash();
                }
            }
        };
        return S3Client.builder()
                .endpointOverride(EMULATOR.emulator().endpoint())
                .forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.of(dev.rawzone.testkit.Emulator.REGION))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                dev.rawzone.testkit.Emulator.ACCESS_KEY, dev.rawzone.testkit.Emulator.SECRET_KEY)))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(crash))
                .build();
    }
}
