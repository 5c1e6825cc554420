package dev.rawzone.core.kinesis;

import dev.rawzone.core.accounting.Counts;

import java.util.List;
import java.util.Optional;

/** A batch's outcome, shard by shard. */
public record BatchResult(List<ShardResult> shards) {

    public Counts counts() {
        return shards.stream().map(ShardResult::counts).reduce(Counts.ZERO, Counts::plus);
    }

    /** One sequence number per shard that did not fully settle: the batch item failures to return. */
    public List<String> failedSequenceNumbers() {
        return shards.stream().map(ShardResult::failedSequenceNumber).flatMap(Optional::stream).toList();
    }
}
