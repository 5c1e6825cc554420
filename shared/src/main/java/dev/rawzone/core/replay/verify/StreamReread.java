package dev.rawzone.core.replay.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.kinesis.OnFailureRange;
import dev.rawzone.core.kinesis.UserRecord;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.replay.rederive.PartKey;
import dev.rawzone.core.replay.redrive.ShardRangeReader;
import dev.rawzone.core.write.ConditionalSink;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The verify unit that re-reads one Kinesis shard while the stream retains it: the selection's parts of the shard
 * as ingestion wrote them ({@link StoredShard}), then one read of the shard from their first sequence number
 * ({@link ShardRangeReader}: {@code AT_SEQUENCE_NUMBER}, then GetRecords pages to their last), de-aggregated as the
 * ingester does ({@link UserRecord}), compared record by record ({@link StreamMatch}). Read only: GetShardIterator,
 * GetRecords, and DescribeStreamSummary to say why positions are gone. Each part is also its own part unit, which
 * checks it against its lineage and claims its positions.
 */
final class StreamReread {
    static final String KIND = "kinesis-shard";
    private static final String PARTS = "parts";
    private static final String WHOLE_SHARD = "whole-shard";

    private final ConditionalSink raw;
    private final ObjectMapper mapper;
    private final KinesisClient kinesis;
    private final ShardRangeReader reader;

    StreamReread(ConditionalSink raw, ObjectMapper mapper, KinesisClient kinesis) {
        this.raw = raw;
        this.mapper = mapper;
        this.kinesis = kinesis;
        this.reader = new ShardRangeReader(kinesis);
    }

    /**
     * One unit per stream folder and shard for the Kinesis parts among {@code keys} (names start with the shard id,
     * {@code KinesisPartNames}); a unit re-reads by the shards its parts' lineage names.
     *
     * @param wholeShard whether the selection holds every part of the shards (no dataset, date or key selection)
     */
    static List<ReplayItem> plan(List<String> keys, boolean wholeShard) {
        Map<String, List<String>> byShard = new TreeMap<>();
        for (String key : keys) {
            PartKey.parse(key).filter(part -> part.source().equals("kinesis") && part.isOriginal())
                    .ifPresent(part -> byShard.computeIfAbsent(shardOf(part.name()), s -> new ArrayList<>()).add(key));
        }
        List<ReplayItem> items = new ArrayList<>();
        byShard.forEach((shard, parts) -> items.add(new ReplayItem(KIND, shard,
                Map.of(PARTS, String.join("\n", parts), WHOLE_SHARD, Boolean.toString(wholeShard)))));
        return items;
    }

    /** {@code <stream folder>/<shard id>} of a part name {@code <stream folder>/<shard id>-<sequence>-<sub>...}. */
    private static String shardOf(String name) {
        int sub = name.lastIndexOf('-');
        int sequence = sub < 0 ? -1 : name.lastIndexOf('-', sub - 1);
        return sequence < 0 ? name : name.substring(0, sequence);
    }

    String planned(ReplayItem item) {
        return "would re-read stream shard " + item.key() + " over the range of its "
                + item.attribute(PARTS).split("\n").length + " parts";
    }

    UnitResult run(ReplayItem item) {
        Findings findings = new Findings();
        List<String> reread = new ArrayList<>();
        for (StoredShard shard : StoredShard.read(raw, mapper, List.of(item.attribute(PARTS).split("\n")))) {
            OnFailureRange range = new OnFailureRange(shard.streamArn(), shard.shardId(), shard.first().major(),
                    shard.last().major());
            ShardRangeReader.ReRead stream;
            try {
                stream = reader.read(range);
            } catch (RuntimeException e) {
                return UnitResult.of(item, UnitStatus.FAILED, range + " could not be re-read: " + e.getMessage());
            }
            List<UserRecord> users = stream.records().stream().flatMap(record -> UserRecord.of(record).stream())
                    .filter(user -> user.position().compareTo(shard.first()) >= 0
                            && user.position().compareTo(shard.last()) <= 0)
                    .toList();
            findings.read("kinesis " + range, stream.records().stream().mapToLong(record -> record.data().length).sum());
            reread.add(users.size() + " records of " + range);
            if (!stream.lost().isEmpty()) {
                findings.note("source gone for positions " + stream.lost().stream().map(ShardRangeReader.Lost::toString)
                        .collect(Collectors.joining(", ")) + " of " + range.stream() + " " + range.shardId() + " ("
                        + whyGone(range) + "): stored checks only");
            }
            StreamMatch.compare(shard, users, stream.lost(), Boolean.parseBoolean(item.attribute(WHOLE_SHARD)),
                    findings);
        }
        return findings.result(item, reread.isEmpty() ? "no part of the shard to compare with the stream"
                : "a re-read of " + String.join(", ", reread) + " agrees with the parts");
    }

    private String whyGone(OnFailureRange range) {
        try {
            Integer hours = kinesis.describeStreamSummary(d -> d.streamName(range.stream()))
                    .streamDescriptionSummary().retentionPeriodHours();
            return "no longer in the stream, which keeps records " + hours + " h";
        } catch (ResourceNotFoundException e) {
            return "the stream is gone";
        }
    }
}
