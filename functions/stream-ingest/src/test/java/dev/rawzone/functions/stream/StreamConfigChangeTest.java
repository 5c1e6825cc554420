package dev.rawzone.functions.stream;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.testkit.EmulatorExtension;
import dev.rawzone.testkit.FaultInjectingProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rawzone.functions.stream.StreamFixture.assertCounts;
import static dev.rawzone.functions.stream.StreamFixture.entry;
import static dev.rawzone.functions.stream.StreamFixture.event;
import static dev.rawzone.functions.stream.StreamFixture.ids;
import static dev.rawzone.functions.stream.StreamFixture.invoke;
import static dev.rawzone.functions.stream.StreamFixture.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A route moved and a schema version published between a failed batch and its retry: the retry, in a container
 * that read the new configuration, decides the records of the failed range as the first attempt did (the range was
 * pinned in the ledger before anything was written), so none is written again under another dataset or version;
 * records after the range follow the new configuration.
 */
class StreamConfigChangeTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final String CONFIG = "rawzone-config-123456789012";
    private static final String SHARD = "shardId-000000000000";

    private StreamFixture fixture;
    private FaultInjectingProxy proxy;
    private Map<String, String> env;

    @BeforeEach
    void setUp() {
        fixture = new StreamFixture(EMULATOR.emulator());
        proxy = new FaultInjectingProxy(EMULATOR.emulator().endpoint());
        fixture.s3.createBucket(b -> b.bucket(CONFIG));
        routeTo("orders");
        publish("schemas/orders/v1.json", resource("/schemas/orders/v1.json"));
        publish("schemas/archive/v1.json", resource("/schemas/orders/v1.json"));
        env = Map.of("PART_MAX_RECORDS", "2", "INGEST_CONFIG", "s3://" + CONFIG + "/streams.json",
                "SCHEMA_LOCATION", "s3://" + CONFIG + "/schemas");
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    @Test
    void aFailedRangeIsFinishedAsItWasBegunAndLaterRecordsFollowTheChange() {
        List<StreamFixture.Entry> batch = orders(1, 6);
        StreamIngestHandler warm = fixture.handler(proxy.endpoint(), fixture.checkpoints(), env);
        AtomicInteger puts = new AtomicInteger();
        proxy.dropAfterForwarding(FaultInjectingProxy.putTo("/raw/kinesis/"), 1);
        proxy.fail(request -> FaultInjectingProxy.putTo("/raw/kinesis/").test(request) && puts.incrementAndGet() > 1,
                100, 500, "InternalError");
        StreamIngestHandler.Outcome first = invoke(warm, event(batch));
        assertEquals(6, first.counts().failed(), "the first part's put took effect, but nobody knew");
        assertEquals(1, fixture.keys("raw/kinesis/orders/schema=v1/").size());
        proxy.clear();

        routeTo("archive");
        publish("schemas/orders/v2.json", resource("/schemas/orders/v1.json"));
        StreamIngestHandler cold = fixture.handler(proxy.endpoint(), fixture.checkpoints(), env);
        StreamIngestHandler.Outcome retry = invoke(cold, event(batch));

        assertCounts(new Counts(6, 4, 0, 2, 0), retry);
        assertEquals(List.of(), fixture.keys("raw/kinesis/archive/"));
        assertEquals(List.of(), fixture.keys("raw/kinesis/orders/schema=v2/"));
        List<StreamFixture.Entry> later = orders(7, 2);
        assertCounts(new Counts(2, 2, 0, 0, 0), invoke(cold, event(later)));
        assertFalse(fixture.keys("raw/kinesis/archive/schema=v1/").isEmpty(), "records after the range follow the move");
        List<StreamFixture.Entry> all = new ArrayList<>(batch);
        all.addAll(later);
        fixture.assertEachOnce(ids(all));
    }

    private static List<StreamFixture.Entry> orders(int from, int count) {
        List<StreamFixture.Entry> entries = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            entries.add(entry(SHARD, n, order(n)));
        }
        return entries;
    }

    private void routeTo(String dataset) {
        publish("streams.json", "{\"streams\":[{\"stream\":\"*\",\"dataset\":\"" + dataset + "\"}]}");
    }

    private void publish(String key, String text) {
        fixture.s3.putObject(p -> p.bucket(CONFIG).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    private static String resource(String name) {
        try (InputStream in = StreamConfigChangeTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
