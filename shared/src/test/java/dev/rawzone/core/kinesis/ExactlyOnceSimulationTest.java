package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.write.PartPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static dev.rawzone.core.kinesis.KinesisFixture.aggregate;
import static dev.rawzone.core.kinesis.KinesisFixture.customer;
import static dev.rawzone.core.kinesis.KinesisFixture.order;
import static dev.rawzone.core.kinesis.KinesisFixture.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event source mapping, simulated: three shards (two of one stream, and a shard of the same id, with the same
 * sequence numbers, of a stream of the same name in another account and region) of orders, customers, poison
 * records and KPL aggregates, read in batches of changing size; puts and ledger writes that fail (throttled, timed
 * out after writing) or crash the process; crashed batches retried whole or bisected; batch item failures retried
 * from the reported record, or given up (the mapping sends the range to the on-failure destination and delivers
 * the next batch) and re-driven later, exactly that range re-read from the stream; records delivered twice in a
 * batch; rewinds (replays) to earlier positions. Whatever happens, once the shards and the on-failure destination
 * are drained the raw zone holds every valid record once and the quarantine every poison record once.
 */
class ExactlyOnceSimulationTest {
    private record Shard(String arn, String id) {
    }

    /** A range given up to the on-failure destination: record indexes {@code [from, to)} of a shard. */
    private static final class GivenUp {
        final Shard shard;
        int from;
        final int to;

        GivenUp(Shard shard, int from, int to) {
            this.shard = shard;
            this.from = from;
            this.to = to;
        }
    }

    private static final List<Shard> SHARDS = List.of(new Shard(KinesisFixture.ARN, "shardId-000000000000"),
            new Shard(KinesisFixture.ARN, "shardId-000000000001"),
            new Shard(KinesisFixture.OTHER_ARN, "shardId-000000000000"));

    static IntStream seeds() {
        return IntStream.rangeClosed(1, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRecordLandsOnceWhateverFails(int seed) {
        Random random = new Random(seed);
        KinesisFixture fixture = new KinesisFixture(new PartPolicy(1 + random.nextInt(6), 1 << 20));
        Map<Shard, List<StreamRecord>> shards = new LinkedHashMap<>();
        List<String> valid = new ArrayList<>();
        List<String> poison = new ArrayList<>();
        for (Shard shard : SHARDS) {
            List<StreamRecord> records = new ArrayList<>();
            for (int sequence = 1; sequence <= 40; sequence++) {
                String id = shard.arn() + "/" + shard.id() + "/" + sequence;
                if (random.nextInt(6) == 0) {
                    int users = 1 + random.nextInt(4);
                    String[] jsons = new String[users];
                    for (int u = 0; u < users; u++) {
                        jsons[u] = payload(random, id + "." + u, valid, poison);
                    }
                    records.add(aggregate(shard.arn(), shard.id(), sequence, jsons));
                } else {
                    records.add(record(shard.arn(), shard.id(), sequence, payload(random, id + ".0", valid, poison)));
                }
            }
            shards.put(shard, records);
        }

        Map<Shard, Integer> checkpoint = new HashMap<>();
        Map<Shard, Integer> maxNext = new HashMap<>();
        List<GivenUp> onFailure = new ArrayList<>();
        SHARDS.forEach(shard -> checkpoint.put(shard, 0));
        int invocations = 0;
        while (!onFailure.isEmpty()
                || SHARDS.stream().anyMatch(shard -> checkpoint.get(shard) < shards.get(shard).size())) {
            assertTrue(++invocations < 2000, "the shards drain");
            boolean faults = invocations < 150;
            if (faults) {
                injectFaults(random, fixture);
            } else {
                fixture.sink.fail(key -> false, 0, false, false);
                fixture.store.failAdvances(0, false);
            }
            boolean drained = SHARDS.stream().allMatch(shard -> checkpoint.get(shard) >= shards.get(shard).size());
            if (!onFailure.isEmpty() && (drained || random.nextInt(10) == 0)) {
                redrive(fixture, onFailure.get(random.nextInt(onFailure.size())), shards, onFailure);
                continue;
            }
            if (random.nextInt(25) == 0) {
                // A replay from an earlier record, also into a range still waiting for its re-drive.
                Shard shard = SHARDS.get(random.nextInt(SHARDS.size()));
                checkpoint.put(shard, random.nextInt(checkpoint.get(shard) + 1));
            }
            Map<Shard, List<StreamRecord>> taken = new LinkedHashMap<>();
            List<StreamRecord> batch = new ArrayList<>();
            for (Shard shard : SHARDS) {
                int from = checkpoint.get(shard);
                List<StreamRecord> records = shards.get(shard);
                if (from >= records.size() || (taken.size() > 0 || SHARDS.indexOf(shard) == 0) && random.nextInt(3) == 0
                        && SHARDS.stream().filter(s -> checkpoint.get(s) < shards.get(s).size()).count() > 1) {
                    continue;
                }
                int size = 1 + random.nextInt(Math.min(maxNext.getOrDefault(shard, 15), records.size() - from));
                List<StreamRecord> slice = new ArrayList<>(records.subList(from, from + size));
                if (random.nextInt(8) == 0) {
                    slice.add(random.nextInt(slice.size() + 1), slice.get(random.nextInt(slice.size())));
                }
                taken.put(shard, slice);
                batch.addAll(slice);
            }
            BatchResult result;
            try {
                result = fixture.ingest(batch);
            } catch (KinesisFixture.Crash crash) {
                boolean bisect = random.nextBoolean();
                taken.forEach((shard, slice) -> maxNext.put(shard, bisect ? Math.max(1, slice.size() / 2) : slice.size()));
                continue;
            }
            maxNext.clear();
            Counts counts = result.counts();
            assertTrue(counts.addsUp(), counts.toString());
            for (ShardResult outcome : result.shards()) {
                Shard shard = new Shard(outcome.streamArn(), outcome.shardId());
                int from = checkpoint.get(shard);
                int end = from + (int) taken.get(shard).stream().map(StreamRecord::sequenceNumber).distinct().count();
                String failure = outcome.failure().orElse("");
                // The pin, written before anything else, remembers where the range starts; only an attempt whose
                // ledger could not even be read or pinned leaves no trace of it (README.md, limits).
                boolean recorded = !failure.startsWith("ledger unreadable") && !failure.startsWith("ledger not pinned");
                if (outcome.failedSequenceNumber().isEmpty()) {
                    checkpoint.put(shard, end);
                } else if (recorded && random.nextInt(4) == 0) {
                    // The mapping gives the range up (in truth after its retry limit), also right after giving up
                    // the range before it. Parts an attempt wrote that the ledger never learnt of (a crash, a put
                    // that timed out after writing) may reach past the range: the batch after it finds them by
                    // listing (ShardRun).
                    onFailure.add(new GivenUp(shard, indexOf(shards.get(shard), from, outcome), end));
                    checkpoint.put(shard, end);
                } else {
                    checkpoint.put(shard, indexOf(shards.get(shard), from, outcome));
                }
            }
        }

        List<String> raw = fixture.rawIds();
        assertEquals(valid.stream().sorted().toList(), raw, "each valid record exactly once in the raw zone");
        List<String> rejects = fixture.quarantined().stream()
                .map(entry -> entry.get("source").asText() + "/" + entry.get("sequence").asText() + "."
                        + entry.get("sub_sequence").asText())
                .sorted().toList();
        assertEquals(poison.stream().sorted().toList(), rejects, "each poison record quarantined once");
        for (JsonNode entry : fixture.quarantined()) {
            assertTrue(!entry.get("reason").asText().isBlank());
        }
    }

    /** Re-reads a given-up range from where it stands and delivers it; a reported failure is retried from there. */
    private static void redrive(KinesisFixture fixture, GivenUp range, Map<Shard, List<StreamRecord>> shards,
                                List<GivenUp> onFailure) {
        List<StreamRecord> records = shards.get(range.shard);
        BatchResult result;
        try {
            result = fixture.ingest(records.subList(range.from, range.to));
        } catch (KinesisFixture.Crash crash) {
            return;
        }
        assertTrue(result.counts().addsUp(), result.counts().toString());
        ShardResult outcome = result.shards().get(0);
        if (outcome.failedSequenceNumber().isEmpty()) {
            onFailure.remove(range);
        } else {
            range.from = indexOf(records, range.from, outcome);
        }
    }

    private static int indexOf(List<StreamRecord> records, int from, ShardResult outcome) {
        int at = from;
        while (!records.get(at).sequenceNumber().equals(outcome.failedSequenceNumber().get())) {
            at++;
        }
        return at;
    }

    private static String payload(Random random, String id, List<String> valid, List<String> poison) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            poison.add(id);
        }
        if (kind == 0) {
            return "{broken " + id;
        }
        if (kind == 1) {
            return "{\"type\":\"customer\",\"id\":\"" + id + "\",\"name\":\"\"}"; // name too short: invalid
        }
        if (kind == 2) {
            return "{\"type\":\"nobody\",\"id\":\"" + id + "\"}";
        }
        valid.add(id);
        return kind % 2 == 0 ? order(id) : customer(id);
    }

    private static void injectFaults(Random random, KinesisFixture fixture) {
        int dice = random.nextInt(10);
        String target = List.of("/orders/", "/customers/", "quarantine/").get(random.nextInt(3));
        switch (dice) {
            case 0 -> fixture.sink.fail(key -> key.contains(target), 1 + random.nextInt(2), false, false);
            case 1 -> fixture.sink.fail(key -> key.contains(target), 1, false, true);
            case 2 -> fixture.sink.fail(key -> key.contains(target), 1, true, false);
            case 3 -> fixture.sink.fail(key -> key.contains(target), 1, true, true);
            case 4 -> fixture.store.failAdvances(1, random.nextBoolean());
            default -> {
                fixture.sink.fail(key -> false, 0, false, false);
                fixture.store.failAdvances(0, false);
            }
        }
    }
}
