package dev.rawzone.core.kinesis;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One Kinesis record as the event source mapping delivers it (independent of the Lambda events library).
 *
 * @param streamArn      the stream's ARN ({@code eventSourceARN})
 * @param shardId        the shard it was read from (the part of {@code eventID} before the colon)
 * @param sequenceNumber its sequence number, decimal, as Kinesis assigned it
 * @param arrival        {@code approximateArrivalTimestamp}: when Kinesis accepted it (a property of the record)
 */
public record StreamRecord(String streamArn, String shardId, String sequenceNumber, String partitionKey, byte[] data,
                           Instant arrival) {
    private static final int MAX_SEQUENCE_DIGITS = 129;

    public StreamRecord {
        Objects.requireNonNull(streamArn, "streamArn");
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(arrival, "arrival");
        if (shardId.isBlank()) {
            throw new IllegalArgumentException("shard id is blank");
        }
        if (!isSequenceNumber(sequenceNumber)) {
            throw new IllegalArgumentException("not a Kinesis sequence number: '" + sequenceNumber + "'");
        }
        partitionKey = partitionKey == null ? "" : partitionKey;
    }

    /** {@code 0|[1-9][0-9]{0,128}}, without a regular expression: this runs for every record of every batch. */
    private static boolean isSequenceNumber(String text) {
        int length = text.length();
        if (length == 0 || length > MAX_SEQUENCE_DIGITS || (text.charAt(0) == '0' && length > 1)) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public BigInteger sequence() {
        return new BigInteger(sequenceNumber);
    }

    /** The stream name: what follows {@code :stream/} in the ARN, or the whole text when it is not an ARN. */
    public String streamName() {
        return streamName(streamArn);
    }

    public static String streamName(String streamArn) {
        int at = streamArn.indexOf(":stream/");
        return at < 0 ? streamArn : streamArn.substring(at + ":stream/".length());
    }
}
