package dev.rawzone.simulation;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.rawzone.core.kinesis.KplAggregator;
import dev.rawzone.functions.stream.StreamIngestHandler;
import dev.rawzone.functions.stream.StreamIngestWiring;
import dev.rawzone.simulation.audit.RawZoneAudit;
import dev.rawzone.simulation.audit.SourceRecords;
import dev.rawzone.simulation.faults.SimulatedCrash;
import dev.rawzone.testkit.FakeContext;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.rawzone.simulation.Faults.Calls;
import static dev.rawzone.simulation.Faults.CrashTarget;
import static dev.rawzone.testkit.FaultInjectingProxy.dynamoDb;
import static dev.rawzone.testkit.FaultInjectingProxy.putTo;

/**
 * Kinesis: the event source mapping simulated over two streams of the same name in two accounts (same shard ids,
 * overlapping sequence numbers) and a third, KPL aggregates among plain records. Batches change size; a batch
 * item failure is retried from the reported record; a crashed batch is retried whole or bisected; after too many
 * attempts the mapping gives the batch's range up to the on-failure destination and moves on, and once the shards
 * drain that range is re-driven as a replay would (re-read at its sequence numbers); records arrive twice in a
 * batch; a shard is sometimes rewound. Crashes, throttling and dropped connections hit S3 and the ledger table;
 * configuration changes land between a failed attempt and its retry.
 */
final class KinesisSimulation implements SourceSimulation {
    private static final int MAX_ATTEMPTS = 4;
    private static final int MAX_INVOCATIONS = 600;
    private static Faults faults(Lab lab) {
        return new Faults(
            List.of(new CrashTarget("PutObject", "raw/"), new CrashTarget("PutObject", "quarantine/"),
                    new CrashTarget("GetItem", lab.table),
                    new CrashTarget("PutItem", lab.table), new CrashTarget("HeadObject", "raw/")),
            List.of(new Calls("PUT raw/", putTo("/" + lab.raw + "/raw/")),
                    new Calls("PUT quarantine/", putTo("/" + lab.raw + "/quarantine/")),
                    new Calls("DynamoDB UpdateItem", dynamoDb("UpdateItem")),
                    new Calls("DynamoDB PutItem", dynamoDb("PutItem")),
                    new Calls("DynamoDB GetItem", dynamoDb("GetItem"))));
    }
    // Not the stack's IngestStream: the scenarios need streams of one name in two accounts and 1-2 shards each, and the
    // handler reads only the events the mapping builds (never the stream), so these are named in the events alone.
    private static final String[] STREAMS = {
        "arn:aws:kinesis:us-east-1:111111111111:stream/alpha",
        "arn:aws:kinesis:us-east-1:222222222222:stream/alpha",
        "arn:aws:kinesis:us-east-1:111111111111:stream/orders",
    };

    @Override
    public String name() {
        return "kinesis";
    }

    @Override
    public ScenarioResult run(long seed, Lab lab) {
        lab.reset();
        return new KinesisScenario(seed, new Random(seed), lab).run();
    }

    /** One Kinesis record as the mapping delivers it, and the ids of the user records it carries. */
    private record Delivered(KinesisEvent.KinesisEventRecord record, List<String> ids) {
    }

    /** A shard as the mapping reads it: its records, and where the mapping stands. */
    private static final class Shard {
        final String arn;
        final String id;
        final List<Delivered> records = new ArrayList<>();
        int next;
        int maxBatch;
        int attempts;

        Shard(String arn, String id, int maxBatch) {
            this.arn = arn;
            this.id = id;
            this.maxBatch = maxBatch;
        }

        boolean drained() {
            return next >= records.size();
        }

        String label() {
            return arn.substring(arn.indexOf(':', 20) + 1) + "/" + id;
        }
    }

    private static final class KinesisScenario {
        private final long seed;
        private final Random random;
        private final Lab lab;
        private final SourceRecords source = new SourceRecords();
        private final SimulatedConfig config;
        private final Containers<StreamIngestHandler> containers;
        private final List<Shard> shards = new ArrayList<>();
        private final List<List<Delivered>> givenUp = new ArrayList<>();
        private final List<String> story = new ArrayList<>();
        private final ScenarioResult result;
        private int invocations;
        private long writes;

        KinesisScenario(long seed, Random random, Lab lab) {
            this.seed = seed;
            this.random = random;
            this.lab = lab;
            this.result = new ScenarioResult("kinesis", seed);
            this.config = SimulatedConfig.publish(lab);
            Map<String, String> env = lab.functionEnvironment("StreamIngestFunction", Map.of(
                    ScenarioSetting.INGEST_CONFIG, Lab.config(SimulatedConfig.STREAM_ROUTES),
                    ScenarioSetting.SCHEMA_LOCATION, Lab.config(SimulatedConfig.SCHEMAS),
                    ScenarioSetting.PART_MAX_RECORDS, Integer.toString(3 + random.nextInt(8))));
            this.containers = new Containers<>(() -> new StreamIngestHandler(StreamIngestWiring.fromEnvironment(env)));
        }

        ScenarioResult run() {
            long started = System.nanoTime();
            int streams = random.nextInt(3) == 0 ? 3 : 2;
            for (int s = 0; s < streams; s++) {
                int shardCount = random.nextInt(3) == 0 ? 2 : 1;
                for (int h = 0; h < shardCount; h++) {
                    shards.add(shard(s, h));
                }
            }
            while (shards.stream().anyMatch(shard -> !shard.drained())) {
                if (++invocations > MAX_INVOCATIONS) {
                    result.violations.add("the shards did not drain in " + MAX_INVOCATIONS + " invocations");
                    break;
                }
                maybeRewind();
                step();
            }
            for (List<Delivered> range : givenUp) {
                redrive(range);
            }
            for (Shard shard : shards) {
                deliverWithoutFaults(shard.records, true);
            }
            result.settle(story, source, RawZoneAudit.of(lab.s3, lab.raw), started);
            return result;
        }

        /**
         * One invocation of one stream's mapping (a mapping reads one stream, so a batch never mixes streams): a
         * batch from some of its shards, and what the mapping does with the answer.
         */
        private void step() {
            List<Shard> pending = shards.stream().filter(shard -> !shard.drained()).toList();
            String stream = pending.get(random.nextInt(pending.size())).arn;
            Map<Shard, List<Delivered>> taken = new LinkedHashMap<>();
            List<KinesisEvent.KinesisEventRecord> batch = new ArrayList<>();
            for (Shard shard : pending) {
                if (!shard.arn.equals(stream) || (!taken.isEmpty() && random.nextInt(3) == 0)) {
                    continue;
                }
                int size = 1 + random.nextInt(Math.min(shard.maxBatch, shard.records.size() - shard.next));
                List<Delivered> slice = new ArrayList<>(shard.records.subList(shard.next, shard.next + size));
                if (random.nextInt(8) == 0) {
                    slice.add(random.nextInt(slice.size() + 1), slice.get(random.nextInt(slice.size())));
                }
                taken.put(shard, slice);
                slice.forEach(d -> batch.add(d.record()));
            }
            String fault = random.nextInt(3) != 0 ? faults(lab).inject(random, lab.proxy) : "none";
            StreamIngestHandler handler = containers.pick(random);
            StreamsEventResponse response;
            try {
                response = invoke(handler, batch);
                Faults.clear(lab.proxy);
            } catch (SimulatedCrash | RuntimeException e) {
                Faults.clear(lab.proxy);
                if (e instanceof SimulatedCrash) {
                    containers.crashed(handler);
                }
                failed(taken, fault + ": " + e.getMessage());
                return;
            }
            for (Map.Entry<Shard, List<Delivered>> entry : taken.entrySet()) {
                Shard shard = entry.getKey();
                String failedAt = failedSequence(response, entry.getValue());
                if (failedAt == null) {
                    shard.next += distinct(entry.getValue());
                    shard.attempts = 0;
                    shard.maxBatch = 12;
                } else {
                    int at = shard.next;
                    while (!sequence(shard.records.get(at)).equals(failedAt)) {
                        at++;
                    }
                    if (at == shard.next) {
                        retryOrGiveUp(shard, entry.getValue(), "batch item failure at its first record");
                    } else {
                        shard.next = at;
                        shard.attempts = 0;
                    }
                }
            }
        }

        private void failed(Map<Shard, List<Delivered>> taken, String why) {
            result.failedThenRetried++;
            boolean bisect = random.nextBoolean();
            for (Map.Entry<Shard, List<Delivered>> entry : taken.entrySet()) {
                Shard shard = entry.getKey();
                if (bisect) {
                    shard.maxBatch = Math.max(1, distinct(entry.getValue()) / 2);
                }
                retryOrGiveUp(shard, entry.getValue(), why);
            }
            if (random.nextInt(10) < 3) {
                story.add(config.change(random));
            }
        }

        /** The mapping retries a failing batch a few times, then sends its range to the on-failure destination. */
        private void retryOrGiveUp(Shard shard, List<Delivered> batch, String why) {
            if (++shard.attempts < MAX_ATTEMPTS) {
                return;
            }
            int end = shard.next + distinct(batch);
            givenUp.add(List.copyOf(shard.records.subList(shard.next, end)));
            story.add(shard.label() + " records " + shard.next + ".." + (end - 1) + " given up to the on-failure"
                    + " destination (" + why + ")");
            shard.next = end;
            shard.attempts = 0;
        }

        /** A given-up range re-read from the stream at its sequence numbers and delivered until it settles. */
        private void redrive(List<Delivered> range) {
            deliverWithoutFaults(range, false);
        }

        /** Delivers records in order, without faults, as batches that settle; optionally checks all are duplicates. */
        private void deliverWithoutFaults(List<Delivered> records, boolean expectAllDuplicates) {
            long writesBefore = writes;
            int next = 0;
            int rounds = 0;
            while (next < records.size() && rounds++ < 50) {
                int size = Math.min(records.size() - next, 1 + random.nextInt(12));
                List<Delivered> slice = records.subList(next, next + size);
                StreamsEventResponse response;
                try {
                    response = invoke(containers.pick(random), slice.stream().map(Delivered::record).toList());
                } catch (RuntimeException e) {
                    result.violations.add("a delivery without faults failed: " + e);
                    return;
                }
                String failedAt = failedSequence(response, slice);
                if (failedAt != null) {
                    result.violations.add("a delivery without faults reported a batch item failure at " + failedAt);
                    return;
                }
                next += size;
            }
            if (expectAllDuplicates && writes > writesBefore) {
                result.violations.add("a re-delivery after the shards settled wrote " + (writes - writesBefore)
                        + " record(s) again");
            }
        }

        private StreamsEventResponse invoke(StreamIngestHandler handler, List<KinesisEvent.KinesisEventRecord> batch) {
            KinesisEvent event = new KinesisEvent();
            event.setRecords(batch);
            StreamIngestHandler.Outcome outcome = handler.ingest(event, "sim-" + seed + "-" + invocations++);
            var counts = outcome.counts();
            if (!counts.addsUp()) {
                result.violations.add("counts do not add up: " + counts);
            }
            result.duplicatesSkipped += counts.duplicates();
            writes += counts.written() + counts.quarantined();
            return outcome.response();
        }

        private void maybeRewind() {
            if (random.nextInt(30) == 0) {
                Shard shard = shards.get(random.nextInt(shards.size()));
                int to = random.nextInt(shard.next + 1);
                story.add(shard.label() + " rewound from " + shard.next + " to " + to);
                shard.next = to;
            }
        }

        private Shard shard(int streamIndex, int shardIndex) {
            String arn = STREAMS[streamIndex];
            Shard shard = new Shard(arn, String.format("shardId-%012d", shardIndex), 12);
            BigInteger sequence = new BigInteger("49650000000000000000000000000000000000000000000000000000")
                    .add(BigInteger.valueOf(1000L * shardIndex));
            int count = 3 + random.nextInt(10);
            for (int r = 0; r < count; r++) {
                sequence = sequence.add(BigInteger.valueOf(1 + random.nextInt(40)));
                int users = random.nextInt(6) == 0 ? 2 + random.nextInt(3) : 1;
                List<String> ids = new ArrayList<>();
                byte[] data;
                if (users == 1) {
                    String id = SourceRecords.id(seed, streamIndex, shardIndex, r);
                    data = userRecord(id);
                    ids.add(id);
                } else {
                    KplAggregator aggregate = new KplAggregator();
                    for (int u = 0; u < users; u++) {
                        String id = SourceRecords.id(seed, streamIndex, shardIndex, r, u);
                        aggregate.add("pk-" + u, userRecord(id));
                        ids.add(id);
                    }
                    data = aggregate.toBytes();
                }
                shard.records.add(new Delivered(record(arn, shard.id, sequence.toString(), data), ids));
            }
            story.add(shard.label() + ": " + count + " records");
            return shard;
        }

        private byte[] userRecord(String id) {
            RecordTexts.Kind kind = RecordTexts.kind(random);
            String json = RecordTexts.json(kind, id, random);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            source.mustLand(id, kind == RecordTexts.Kind.VALID ? bytes : null);
            return bytes;
        }

        private static KinesisEvent.KinesisEventRecord record(String arn, String shardId, String sequence, byte[] data) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setSequenceNumber(sequence);
            kinesis.setPartitionKey("pk");
            kinesis.setData(ByteBuffer.wrap(data));
            kinesis.setApproximateArrivalTimestamp(new Date(1_764_000_000_000L));
            kinesis.setKinesisSchemaVersion("1.0");
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventSource("aws:kinesis");
            record.setEventSourceARN(arn);
            record.setEventID(shardId + ":" + sequence);
            record.setEventName("aws:kinesis:record");
            record.setAwsRegion("us-east-1");
            return record;
        }

        private static String sequence(Delivered delivered) {
            return delivered.record().getKinesis().getSequenceNumber();
        }

        private static String failedSequence(StreamsEventResponse response, List<Delivered> slice) {
            for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                for (Delivered delivered : slice) {
                    if (sequence(delivered).equals(failure.getItemIdentifier())) {
                        return failure.getItemIdentifier();
                    }
                }
            }
            return null;
        }

        private static int distinct(List<Delivered> slice) {
            return (int) slice.stream().map(KinesisScenario::sequence).distinct().count();
        }
    }
}
