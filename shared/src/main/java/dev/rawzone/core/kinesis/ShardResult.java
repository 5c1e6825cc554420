package dev.rawzone.core.kinesis;

import dev.rawzone.core.accounting.Counts;

import java.util.List;
import java.util.Optional;

/**
 * What one shard's records in a batch came to.
 *
 * @param failedSequenceNumber the Kinesis sequence number to report as the shard's batch item failure (Lambda
 *                             re-delivers from it), or empty when every record settled
 * @param failure              why, when there is a failure
 * @param shares               the counts again, per dataset the records went to
 */
public record ShardResult(String streamArn, String shardId, Counts counts, Optional<String> failedSequenceNumber,
                          Optional<String> failure, List<String> dataKeys, List<String> quarantineKeys,
                          List<ShardShare> shares) {
}
