package dev.rawzone.core.replay.redrive;

import dev.rawzone.core.kinesis.OnFailureRange;
import dev.rawzone.core.kinesis.StreamRecord;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-reads a shard's sequence range from the stream: GetShardIterator {@code AT_SEQUENCE_NUMBER} its first sequence
 * number, then GetRecords along {@code NextShardIterator} until a record past its last (or the shard's end: a closed
 * shard gives no next iterator, an open one is caught up). What the stream no longer holds is said exactly: a first
 * record after the range's start means the start was trimmed; a shard or stream that is gone holds none of it, once
 * {@link StreamPresence} confirms it is gone (a stream not found from another region or account is not).
 */
public final class ShardRangeReader {
    private static final int LIMIT = 1000;
    private static final int MAX_EMPTY_READS = 20;

    private final KinesisClient kinesis;

    public ShardRangeReader(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    /** Sequence numbers {@code first..last} of the range that the stream no longer holds. */
    public record Lost(BigInteger first, BigInteger last) {
        @Override
        public String toString() {
            return first.equals(last) ? first.toString() : first + ".." + last;
        }
    }

    /**
     * @param records the range's records as the stream holds them, in order
     * @param lost    the parts of the range not re-read because the stream no longer holds them
     * @param next    the sequence number of the shard's first record past the range, when one was read: no record
     *                lies between the range and it
     * @param gone    why none of it could be read (the shard or stream is gone), if so
     */
    public record ReRead(List<StreamRecord> records, List<Lost> lost, Optional<BigInteger> next, Optional<String> gone) {
    }

    public ReRead read(OnFailureRange range) {
        String iterator;
        try {
            iterator = iterator(range, ShardIteratorType.AT_SEQUENCE_NUMBER);
        } catch (ResourceNotFoundException e) {
            String gone = new StreamPresence(kinesis).confirmGone(range, message(e));
            return new ReRead(List.of(), List.of(new Lost(range.first(), range.last())), Optional.empty(),
                    Optional.of(gone));
        } catch (InvalidArgumentException e) {
            // Kinesis may refuse a sequence number older than the trim horizon: read from there instead, and let the
            // first record returned say what is missing.
            iterator = iterator(range, ShardIteratorType.TRIM_HORIZON);
        }
        List<StreamRecord> records = new ArrayList<>();
        Optional<BigInteger> next = Optional.empty();
        int empty = 0;
        while (iterator != null && next.isEmpty()) {
            String current = iterator;
            GetRecordsResponse response = kinesis.getRecords(get -> get.shardIterator(current).limit(LIMIT));
            for (Record record : response.records()) {
                BigInteger sequence = new BigInteger(record.sequenceNumber());
                if (sequence.compareTo(range.last()) > 0) {
                    next = Optional.of(sequence);
                    break;
                }
                if (sequence.compareTo(range.first()) >= 0) {
                    records.add(streamRecord(range, record));
                }
            }
            boolean caughtUp = response.millisBehindLatest() == null || response.millisBehindLatest() == 0;
            empty = response.records().isEmpty() ? empty + 1 : 0;
            if (response.records().isEmpty() && caughtUp) {
                break;
            }
            if (empty >= MAX_EMPTY_READS) {
                // Behind the stream's tip but answered empty again and again: what follows is still there, so
                // nothing of the range may be called lost; the message stays for the next redrive.
                throw new IllegalStateException("the shard answered " + empty + " empty reads while "
                        + response.millisBehindLatest() + " ms behind its tip; the rest of the range was not read");
            }
            iterator = response.nextShardIterator();
        }
        return new ReRead(List.copyOf(records), lost(range, records, next), next, Optional.empty());
    }

    static String message(ResourceNotFoundException e) {
        return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }

    private String iterator(OnFailureRange range, ShardIteratorType type) {
        return kinesis.getShardIterator(get -> {
            // Both: Kinesis reads the ARN's stream (another account's, another region's), the emulator the name's.
            get.streamName(range.stream()).streamARN(range.streamArn()).shardId(range.shardId()).shardIteratorType(type);
            if (type == ShardIteratorType.AT_SEQUENCE_NUMBER) {
                get.startingSequenceNumber(range.first().toString());
            }
        }).shardIterator();
    }

    private static List<Lost> lost(OnFailureRange range, List<StreamRecord> records, Optional<BigInteger> next) {
        if (records.isEmpty()) {
            return List.of(new Lost(range.first(), range.last()));
        }
        List<Lost> lost = new ArrayList<>();
        BigInteger first = records.get(0).sequence();
        if (first.compareTo(range.first()) > 0) {
            lost.add(new Lost(range.first(), first.subtract(BigInteger.ONE)));
        }
        BigInteger last = records.get(records.size() - 1).sequence();
        if (next.isEmpty() && last.compareTo(range.last()) < 0) {
            // The shard ended (or is caught up) before the range's last record: the stream no longer holds it.
            lost.add(new Lost(last.add(BigInteger.ONE), range.last()));
        }
        return List.copyOf(lost);
    }

    /** A record as GetRecords returns it, as the event source mapping would have delivered it. */
    public static StreamRecord streamRecord(OnFailureRange range, Record record) {
        return new StreamRecord(range.streamArn(), range.shardId(), record.sequenceNumber(), record.partitionKey(),
                record.data().asByteArray(), record.approximateArrivalTimestamp());
    }
}
