package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.kinesis.KinesisIngester;
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
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Re-drives one message of the Kinesis on-failure destination: the shard and sequence range the event source mapping
 * gave up is re-read from the stream ({@link ShardRangeReader}) and ingested through the same {@link KinesisIngester}
 * and shard ledger as a live batch, with the range open in the ledger, so records already there are duplicates and
 * the rest are written or quarantined once. Then the range (up to the shard's next record) is settled in the ledger.
 * What the stream no longer holds (trimmed past its retention, the shard or stream deleted) is reported
 * {@link MessageOutcome.Disposition#LOST LOST} with its exact sequence range, in a marker
 * {@code manifests/replay/lost/kinesis/<stream folder>/<shard>-<first>/<last>.json} (see
 * {@link KinesisPartNames#rangeMarker}) written before the message may be deleted. Markers written before they were
 * keyed by the last sequence number too ({@code <shard>-<first position>.json}) stay where they are and read the same.
 * A settled range (lost or not) gets a re-driven marker under {@code manifests/replay/redriven/kinesis/} before the
 * ledger forgets it: a second copy of the message is then settled from it, never decided again (by then under
 * another configuration, perhaps: see {@link RangeMarkers}).
 */
public final class KinesisFailures implements MessageRedrive {
    private final ShardRangeReader reader;
    private final KinesisIngester ingester;
    private final ShardLedgers ledgers;
    private final RangeMarkers markers;
    private final ObjectMapper mapper;

    /**
     * @param ingester the live path's ingester, over the same raw zone and shard ledgers
     * @param ledgers  the shard ledgers the ingester uses
     * @param raw      the raw bucket, for the lost and re-driven markers
     */
    public KinesisFailures(KinesisClient kinesis, KinesisIngester ingester, ShardLedgers ledgers, ConditionalSink raw,
                           ObjectMapper mapper) {
        this.reader = new ShardRangeReader(kinesis);
        this.ingester = ingester;
        this.ledgers = ledgers;
        this.markers = new RangeMarkers(raw, mapper);
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
        Optional<JsonNode> redriven;
        try {
            redriven = markers.read(RangeMarkers.redriven(range));
        } catch (RuntimeException e) {
            return keep(Counts.ZERO, List.of(), List.of(), range + ": its re-driven marker could not be read: " + e);
        }
        if (redriven.isPresent()) {
            return settledBefore(range, redriven.get(), run);
        }
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
        Position until = reRead.next().map(next -> new Position(next, 0)).orElse(range.to());
        MessageOutcome outcome = reRead.lost().isEmpty()
                ? new MessageOutcome(MessageOutcome.Disposition.SETTLED, counts, read, written,
                range + ": " + counts.written() + " written, " + counts.quarantined() + " quarantined, "
                        + counts.duplicates() + " already there")
                : new MessageOutcome(MessageOutcome.Disposition.LOST, counts, read, written,
                "lost at the source: " + lostText(range, reRead) + "; " + users + " user records re-driven");
        try {
            if (!reRead.lost().isEmpty()) {
                written.add(writeLostMarker(message, reRead, run));
            }
            written.add(writeRedrivenMarker(range, users, until, outcome, run));
        } catch (RuntimeException e) {
            return keep(counts, read, written, range + ": a marker could not be written: " + e);
        }
        try {
            ledgers.settle(range.streamArn(), range.shardId(), range.from(), until);
        } catch (RuntimeException e) {
            return keep(counts, read, written, range + ": re-driven, but not settled in the shard's ledger: " + e);
        }
        return new MessageOutcome(outcome.disposition(), counts, read, written, outcome.detail());
    }

    /** The lost marker's key for a range (see {@link RangeMarkers}). */
    public static String lostMarker(OnFailureRange range) {
        return RangeMarkers.lost(range);
    }

    /**
     * A copy of a message whose range a redrive settled: its records are all there (or reported lost), so they count
     * as duplicates; the ledger is settled again (the run that wrote the marker may have stopped before it did).
     */
    private MessageOutcome settledBefore(OnFailureRange range, JsonNode marker, ReplayRun run) {
        long users = marker.path("user_records").asLong();
        Counts counts = new Counts(users, 0, 0, users, 0);
        String by = "already re-driven by run " + marker.path("replay_run").asText() + ": "
                + marker.path("detail").asText();
        List<String> read = List.of(RangeMarkers.redriven(range));
        if (run.dryRun()) {
            return new MessageOutcome(MessageOutcome.Disposition.PLANNED, Counts.ZERO, read, List.of(), range + " " + by);
        }
        try {
            ledgers.settle(range.streamArn(), range.shardId(), range.from(),
                    Position.parse(marker.path("settled_until").asText()));
        } catch (RuntimeException e) {
            return keep(Counts.ZERO, read, List.of(), range + ": " + by + ", but not settled in the shard's ledger: " + e);
        }
        MessageOutcome.Disposition disposition = MessageOutcome.Disposition.valueOf(marker.path("disposition").asText());
        return new MessageOutcome(disposition, counts, read, List.of(), by);
    }

    private String writeRedrivenMarker(OnFailureRange range, long users, Position until, MessageOutcome outcome,
                                       ReplayRun run) {
        ObjectNode marker = markers.body(range, run);
        marker.put("user_records", users);
        marker.put("settled_until", until.toString());
        marker.put("disposition", outcome.disposition().name());
        marker.put("detail", outcome.detail());
        marker.set("counts", mapper.valueToTree(outcome.counts().asMap()));
        return markers.put(RangeMarkers.redriven(range), marker, run);
    }

    private String writeLostMarker(KinesisFailureMessage message, ShardRangeReader.ReRead reRead, ReplayRun run) {
        OnFailureRange range = message.range();
        ObjectNode marker = markers.body(range, run);
        ArrayNode lost = marker.putArray("lost");
        for (ShardRangeReader.Lost part : reRead.lost()) {
            lost.addObject().put("first_sequence_number", part.first().toString())
                    .put("last_sequence_number", part.last().toString());
        }
        marker.put("records_re_read", reRead.records().size());
        marker.put("reason", reRead.gone()
                .orElse("the stream no longer holds these sequence numbers (trimmed past its retention)"));
        marker.put("condition", message.condition());
        marker.put("request_id", message.requestId());
        return markers.put(RangeMarkers.lost(range), marker, run);
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
