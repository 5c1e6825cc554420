package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch of Kinesis records into the raw zone, exactly once per user record: shard by shard, each against its
 * ledger, with part names derived from stream ARN, shard and first position only (see {@link ShardRun}).
 */
public final class KinesisIngester {
    private final ConditionalSink sink;
    private final ShardLedgers ledgers;
    private final RecordClassifier classifier;
    private final PartPolicy policy;
    private final ObjectMapper mapper;

    public KinesisIngester(ConditionalSink sink, ShardLedgers ledgers, RecordClassifier classifier, PartPolicy policy,
                           ObjectMapper mapper) {
        this.sink = sink;
        this.ledgers = ledgers;
        this.classifier = classifier;
        this.policy = policy;
        this.mapper = mapper;
    }

    /** Records in delivery order; a batch may hold several shards (and streams), each handled on its own. */
    public BatchResult ingest(List<StreamRecord> records, RunContext run) {
        Map<List<String>, List<StreamRecord>> byShard = new LinkedHashMap<>();
        for (StreamRecord record : records) {
            byShard.computeIfAbsent(List.of(record.streamArn(), record.shardId()), key -> new ArrayList<>()).add(record);
        }
        List<ShardResult> shards = new ArrayList<>();
        for (Map.Entry<List<String>, List<StreamRecord>> shard : byShard.entrySet()) {
            shards.add(new ShardRun(sink, ledgers, classifier, policy, mapper, run, shard.getKey().get(0),
                    shard.getKey().get(1), shard.getValue(), Optional.empty()).run());
        }
        return new BatchResult(List.copyOf(shards));
    }

    /**
     * The records of a range given up to the on-failure destination, re-read from the stream: decided as a batch of
     * that shard, with the range open in the ledger even where the ledger took it as settled (see
     * {@link LedgerState#reopened}), so each record is written or quarantined once, or found already there.
     */
    public ShardResult redrive(OnFailureRange range, List<StreamRecord> records, RunContext run) {
        for (StreamRecord record : records) {
            if (!record.streamArn().equals(range.streamArn()) || !record.shardId().equals(range.shardId())
                    || !range.contains(record.sequence())) {
                throw new IllegalArgumentException("record " + record.sequenceNumber() + " of " + record.shardId()
                        + " is not in the re-driven range " + range);
            }
        }
        return new ShardRun(sink, ledgers, classifier, policy, mapper, run, range.streamArn(), range.shardId(), records,
                Optional.of(range)).run();
    }
}
