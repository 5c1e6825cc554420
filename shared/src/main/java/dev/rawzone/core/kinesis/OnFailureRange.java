package dev.rawzone.core.kinesis;

import dev.rawzone.core.write.Position;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A shard's sequence range as the event source mapping gives it up to the on-failure destination: every record
 * from {@code first} through {@code last}, with all their KPL sub-sequences.
 */
public record OnFailureRange(String streamArn, String shardId, BigInteger first, BigInteger last) {
    public OnFailureRange {
        Objects.requireNonNull(streamArn, "streamArn");
        Objects.requireNonNull(shardId, "shardId");
        if (first.signum() < 0 || last.compareTo(first) < 0) {
            throw new IllegalArgumentException("not a sequence range: " + first + ".." + last);
        }
    }

    /** The first position of the range. */
    public Position from() {
        return new Position(first, 0);
    }

    /** The first position past the range (no record lies between {@code last} and it). */
    public Position to() {
        return new Position(last.add(BigInteger.ONE), 0);
    }

    public boolean contains(BigInteger sequence) {
        return sequence.compareTo(first) >= 0 && sequence.compareTo(last) <= 0;
    }

    public String stream() {
        return StreamRecord.streamName(streamArn);
    }

    @Override
    public String toString() {
        return stream() + " " + shardId + " " + (first.equals(last) ? first.toString() : first + ".." + last);
    }
}
