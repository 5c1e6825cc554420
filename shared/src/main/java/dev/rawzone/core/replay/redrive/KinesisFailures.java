package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.kinesis.KinesisIngester;
import dev.rawzone.core.kinesis.KinesisPartNames;
import dev.rawzone.core.kinesis.OnFailureRange;
import dev.rawzone.core.kinesis.ShardLedgers;
import dev.rawzone.core.kinesis.ShardResult;
import dev.rawzone.core.kinesis.UserRecord;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Position;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Re-drives one message of the Kinesis on-failure destination: the shard and sequence range the event source mapping
 * gave up is re-read from the stream ({@link ShardRangeReader}) and ingested through the same {@link KinesisIngester}
 * and shard ledger as a live batch, with the range open in the ledger, so records already there are duplicates and
 * the rest are written or quarantined once. Then the range (up to the shard's next record) is settled in the ledger.
 * What the stream no longer holds (trimmed past its retention, the shard or stream deleted) is reported
 * {@link MessageOutcome.Disposition#LOST LOST} with its exact sequence range, in a marker
 * {@code manifests/replay/lost/kinesis/<stream folder>/<shard>-<first position>.json} written before the message
 * may be deleted.
 */
public final class KinesisFailures implements MessageRedrive {
    static final String LOST_PREFIX = "manifests/replay/lost/kinesis/";

    private final ShardRangeReader reader;
    private final KinesisIngester ingester;
    private final ShardLedgers ledgers;
    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    /**
     * @param ingester the live path's ingester, over the same raw zone and shard ledgers
     * @param ledgers  the shard ledgers the ingester uses
     * @param raw      the raw bucket, for the lost markers
     */
    public KinesisFailures(KinesisClient kinesis, KinesisIngester ingester, ShardLedgers ledgers, ConditionalSink raw,
                           ObjectMapper mapper) {
        this.reader = new ShardRangeReader(kinesis);
        this.ingester = ingester;
        this.ledgers = ledgers;
        this.raw = raw;
        this.mapper = mapper;
    }

    @Override
    public MessageOutcome redrive(String body, ReplayRun run) {
        KinesisFailureMessage message;
        try {
            message = KinesisFailureMessage.parse(body, mapper);
        } catch (IllegalArgumentException e) {
            return keep(Counts.ZERO, List.of(), List.of(), "not a Kinesis on-failure message (" + e.getMessage() + ")");
        }
        OnFailureRange range = message.range();
        ShardRangeReader.ReRead reRead;
        try {
            reRead = reader.read(range);
        } catch (RuntimeException e) {
            return keep(Counts.ZERO, List.of(), List.of(), range + " could not be re-read: " + e.getMessage());
        }
        long users = reRead.records().stream().mapToLong(record -> UserRecord.of(record).size()).sum();
        List<String> read = List.of("kinesis " + range + ": " + reRead.records().size() + " records re-read");
        if (run.dryRun()) {
            return new MessageOutcome(MessageOutcome.Disposition.PLANNED, Counts.ZERO, read, List.of(),
                    "would re-read " + range + ": " + reRead.records().size() + " records (" + users + " user records)"
                            + (reRead.lost().isEmpty() ? "" : "; would report lost " + lostText(range, reRead)));
        }
        Counts counts = Counts.ZERO;
        List<String> written = new ArrayList<>();
        if (!reRead.records().isEmpty()) {
            ShardResult result;
            try {
                result = ingester.redrive(range, reRead.records(), run.context());
            } catch (RuntimeException e) {
                return keep(Counts.ZERO, read, List.of(), range + " not re-driven: " + e);
            }
            counts = result.counts();
            written.addAll(result.dataKeys());
            written.addAll(result.quarantineKeys());
            if (result.failedSequenceNumber().isPresent()) {
                return keep(counts, read, written, range + " not settled from " + result.failedSequenceNumber().get()
                        + ": " + result.failure().orElse("unsettled records"));
            }
        }
        if (!reRead.lost().isEmpty()) {
            try {
                written.add(writeLostMarker(message, reRead, run));
            } catch (RuntimeException e) {
                return keep(counts, read, written, range + ": the lost marker could not be written: " + e);
            }
        }
        Position until = reRead.next().map(next -> new Position(next, 0)).orElse(range.to());
        try {
            ledgers.settle(range.streamArn(), range.shardId(), range.from(), until);
        } catch (RuntimeException e) {
            return keep(counts, read, written, range + ": re-driven, but not settled in the shard's ledger: " + e);
        }
        if (!reRead.lost().isEmpty()) {
            return new MessageOutcome(MessageOutcome.Disposition.LOST, counts, read, written,
                    "lost at the source: " + lostText(range, reRead) + "; " + users + " user records re-driven");
        }
        return new MessageOutcome(MessageOutcome.Disposition.SETTLED, counts, read, written,
                range + ": " + counts.written() + " written, " + counts.quarantined() + " quarantined, "
                        + counts.duplicates() + " already there");
    }

    /** The lost marker's key for a range. */
    public static String lostMarker(OnFailureRange range) {
        return LOST_PREFIX + KinesisPartNames.marker(range.streamArn(), range.shardId(), range.from());
    }

    private String writeLostMarker(KinesisFailureMessage message, ShardRangeReader.ReRead reRead, ReplayRun run) {
        OnFailureRange range = message.range();
        ObjectNode marker = mapper.createObjectNode();
        marker.put("source", "kinesis");
        marker.put("stream_arn", range.streamArn());
        marker.put("stream", range.stream());
        marker.put("shard", range.shardId());
        marker.put("start_sequence_number", range.first().toString());
        marker.put("end_sequence_number", range.last().toString());
        ArrayNode lost = marker.putArray("lost");
        for (ShardRangeReader.Lost part : reRead.lost()) {
            lost.addObject().put("first_sequence_number", part.first().toString())
                    .put("last_sequence_number", part.last().toString());
        }
        marker.put("records_re_read", reRead.records().size());
        marker.put("reason", reRead.gone().map(why -> "the shard is gone: " + why)
                .orElse("the stream no longer holds these sequence numbers (trimmed past its retention)"));
        marker.put("condition", message.condition());
        marker.put("request_id", message.requestId());
        marker.put("replay_run", run.runId());
        String key = lostMarker(range);
        try {
            raw.putIfAbsent(key, mapper.writeValueAsBytes(marker), run.context().marks());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        return key;
    }

    private static String lostText(OnFailureRange range, ShardRangeReader.ReRead reRead) {
        return "stream " + range.stream() + " shard " + range.shardId() + " sequence numbers "
                + reRead.lost().stream().map(ShardRangeReader.Lost::toString).collect(Collectors.joining(", "))
                + reRead.gone().map(why -> " (" + why + ")").orElse(" (no longer in the stream)");
    }

    private static MessageOutcome keep(Counts counts, List<String> read, List<String> written, String detail) {
        return new MessageOutcome(MessageOutcome.Disposition.KEEP, counts, read, written, detail + "; kept for the next redrive");
    }
}
