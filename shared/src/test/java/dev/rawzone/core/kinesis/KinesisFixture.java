package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.checkpoint.InMemoryCheckpointStore;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.validate.ClasspathSchemaSource;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.ForwardingSink;
import dev.rawzone.core.write.InMemorySink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.PutOutcome;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/** An ingester over in-memory storage with injectable faults, and a stream's records to feed it. */
final class KinesisFixture {
    static final String ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/events";
    /** A stream of the same name in another account and region. */
    static final String OTHER_ARN = "arn:aws:kinesis:eu-west-1:210987654321:stream/events";
    static final String SHARD = "shardId-000000000000";
    static final Instant ARRIVAL = Instant.parse("2026-11-25T10:00:00.123Z");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final StreamRouting ROUTING = StreamRouting.parse("""
            {"streams":[{"stream":"events","datasetField":"type","datasets":{"order":"orders","customer":"customers"}},
                        {"stream":"orders-stream","dataset":"orders"}]}""");
    private static final SchemaCatalogue CATALOGUE = new SchemaCatalogue(new ClasspathSchemaSource("kinesis/schemas"));

    /** A process dying: not an exception the code under test may catch. */
    static final class Crash extends Error {
        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    final InMemorySink storage = new InMemorySink();
    final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    final FaultySink sink = new FaultySink(storage);
    final FaultyStore store = new FaultyStore(checkpoints);
    private final KinesisIngester ingester;
    private int runs;

    KinesisFixture(PartPolicy policy) {
        ingester = new KinesisIngester(sink, new ShardLedgers(store),
                new RecordClassifier(ROUTING, new RecordValidator(CATALOGUE)), policy, MAPPER);
    }

    KinesisFixture() {
        this(PartPolicy.defaults());
    }

    /** Another invocation's ingester, under {@code routing}, on the same storage and ledgers (without faults). */
    KinesisIngester concurrent(StreamRouting routing) {
        return new KinesisIngester(storage, new ShardLedgers(checkpoints),
                new RecordClassifier(routing, new RecordValidator(CATALOGUE)), PartPolicy.defaults(), MAPPER);
    }

    BatchResult ingest(List<StreamRecord> batch) {
        return ingester.ingest(batch, new RunContext("test", "run-" + ++runs));
    }

    static StreamRecord record(String shard, long sequence, String json) {
        return record(ARN, shard, sequence, json);
    }

    static StreamRecord record(String arn, String shard, long sequence, String json) {
        return new StreamRecord(arn, shard, Long.toString(sequence), "pk-" + sequence,
                json.getBytes(StandardCharsets.UTF_8), ARRIVAL.plusSeconds(sequence));
    }

    static StreamRecord aggregate(String shard, long sequence, String... jsons) {
        return aggregate(ARN, shard, sequence, jsons);
    }

    static StreamRecord aggregate(String arn, String shard, long sequence, String... jsons) {
        KplAggregator aggregator = new KplAggregator();
        for (String json : jsons) {
            aggregator.add("pk-" + sequence, json.getBytes(StandardCharsets.UTF_8));
        }
        return new StreamRecord(arn, shard, Long.toString(sequence), "pk-" + sequence, aggregator.toBytes(),
                ARRIVAL.plusSeconds(sequence));
    }

    static String order(String id) {
        return "{\"type\":\"order\",\"id\":\"" + id + "\",\"amount\":12.5}";
    }

    static String customer(String id) {
        return "{\"type\":\"customer\",\"id\":\"" + id + "\",\"name\":\"Ada\"}";
    }

    /** Orders (odd sequence numbers) and customers (even) alternating, one record per sequence number. */
    static List<StreamRecord> mixed(String shard, int from, int count) {
        List<StreamRecord> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(record(shard, i, i % 2 == 1 ? order("o-" + shard + "-" + i) : customer("c-" + shard + "-" + i)));
        }
        return records;
    }

    /** Every record line under {@code raw/}. */
    List<JsonNode> raw() {
        return lines("raw/");
    }

    List<JsonNode> quarantined() {
        return lines("quarantine/");
    }

    List<String> rawIds() {
        return raw().stream().map(node -> node.get("id").asText()).sorted().toList();
    }

    List<String> keys(String prefix) {
        return storage.objects().keySet().stream().filter(key -> key.startsWith(prefix)).sorted().toList();
    }

    private List<JsonNode> lines(String prefix) {
        List<JsonNode> lines = new ArrayList<>();
        for (Map.Entry<String, InMemorySink.Stored> object : storage.objects().entrySet()) {
            if (!object.getKey().startsWith(prefix)) {
                continue;
            }
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object.getValue().body()))) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    lines.add(MAPPER.readTree(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    static RuntimeException fault(boolean crash, String where, String transientMessage) {
        if (crash) {
            throw new Crash(where);
        }
        return new IllegalStateException(transientMessage);
    }

    /** A sink that fails chosen puts with an exception (transient) or a {@link Crash}, a given number of times. */
    static final class FaultySink extends ForwardingSink {
        private Predicate<String> failing = key -> false;
        private final AtomicInteger remaining = new AtomicInteger();
        private boolean crash;
        private boolean afterWrite;
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger heads = new AtomicInteger();
        final AtomicInteger lists = new AtomicInteger();

        FaultySink(ConditionalSink delegate) {
            super(delegate);
        }

        /** The next {@code times} puts to matching keys throw, before writing (or after, for a crash after write). */
        void fail(Predicate<String> keys, int times, boolean crash, boolean afterWrite) {
            this.failing = keys;
            this.remaining.set(times);
            this.crash = crash;
            this.afterWrite = afterWrite;
        }

        @Override
        public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
            puts.incrementAndGet();
            boolean fault = failing.test(key) && remaining.getAndDecrement() > 0;
            if (fault && !afterWrite) {
                throw fault(crash, "before put " + key, "503 SlowDown " + key);
            }
            PutOutcome outcome = super.putIfAbsent(key, body, metadata);
            if (fault) {
                throw fault(crash, "after put " + key, "timeout after put " + key);
            }
            return outcome;
        }

        @Override
        public Optional<Map<String, String>> metadata(String key) {
            heads.incrementAndGet();
            return super.metadata(key);
        }

        @Override
        public List<String> keys(String prefix) {
            lists.incrementAndGet();
            return super.keys(prefix);
        }
    }

    /** A checkpoint store whose next advances crash or fail. */
    static final class FaultyStore implements CheckpointStore {
        private final CheckpointStore delegate;
        private final AtomicInteger remaining = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();
        private boolean crash;
        private volatile Runnable beforeNext = () -> { };
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger advances = new AtomicInteger();

        FaultyStore(CheckpointStore delegate) {
            this.delegate = delegate;
        }

        void failAdvances(int times, boolean crash) {
            failAdvancesAfter(0, times, crash);
        }

        /** The next {@code skip} advances succeed (a batch's pin), then {@code times} fail. */
        void failAdvancesAfter(int skip, int times, boolean crash) {
            skipped.set(skip);
            remaining.set(times);
            this.crash = crash;
        }

        @Override
        public Checkpoint get(String key) {
            gets.incrementAndGet();
            return delegate.get(key);
        }

        /** Runs {@code action} (on the writing thread) just before the next advance is made. */
        void beforeNextAdvance(Runnable action) {
            beforeNext = action;
        }

        @Override
        public Checkpoint advance(Checkpoint current, Map<String, String> next) {
            advances.incrementAndGet();
            Runnable action = beforeNext;
            beforeNext = () -> { };
            action.run();
            if (skipped.getAndDecrement() <= 0 && remaining.getAndDecrement() > 0) {
                throw fault(crash, "before ledger advance", "DynamoDB 500");
            }
            return delegate.advance(current, next);
        }

        LedgerState ledger(String shard) {
            return LedgerState.fromMap(delegate.get(ShardLedgers.key(ARN, shard)).state());
        }
    }
}
