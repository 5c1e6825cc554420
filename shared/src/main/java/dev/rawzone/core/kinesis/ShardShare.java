package dev.rawzone.core.kinesis;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.observe.WrittenVolume;

import java.time.Instant;
import java.util.Optional;

/**
 * The records of a shard's batch that went to one dataset, or to none ({@code dataset} empty: failed before they
 * were routed, or found settled by an earlier attempt), with the parts they were written in and their oldest
 * {@code approximateArrivalTimestamp}.
 */
public record ShardShare(Optional<String> dataset, Counts counts, WrittenVolume written, Instant oldestArrival) {
}
