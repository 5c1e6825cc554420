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
import dev.rawzone.core.write.Position;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The verify unit that re-reads one Kinesis shard while the stream retains it: the selection's parts of the shard
 * as ingestion wrote them ({@link StoredShard}), each read of the shard from its parts' first sequence number
 * ({@link ShardRangeReader}: {@code AT_SEQUENCE_NUMBER}, then GetRecords pages to their last; one read for parts
 * that fit, see {@link #windows}), de-aggregated as the ingester does ({@link UserRecord}), compared record by record
 * ({@link StreamMatch}). Read only: GetShardIterator,
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
    private final long recordsPerRead;

    /** @param recordsPerRead the stored records one read gathers before a part that does not overlap starts the next */
    StreamReread(ConditionalSink raw, ObjectMapper mapper, KinesisClient kinesis, long recordsPerRead) {
        this.raw = raw;
        this.mapper = mapper;
        this.kinesis = kinesis;
        this.reader = new ShardRangeReader(kinesis);
        this.recordsPerRead = recordsPerRead;
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
        boolean wholeShard = Boolean.parseBoolean(item.attribute(WHOLE_SHARD));
        List<String> reread = new ArrayList<>();
        try {
            for (List<StoredShard.Placed> shard : byShard(StoredShard.place(raw,
                    List.of(item.attribute(PARTS).split("\n"))))) {
                reread.add(compare(shard, wholeShard, findings));
            }
        } catch (RuntimeException e) {
            return UnitResult.of(item, UnitStatus.FAILED, "the stream could not be re-read now: " + e);
        }
        return findings.result(item, reread.isEmpty() ? "no part of the shard to compare with the stream"
                : "a re-read of " + String.join(", ", reread) + " agrees with the parts");
    }

    /** @return what was re-read: how many records of which range */
    private String compare(List<StoredShard.Placed> shard, boolean wholeShard, Findings findings) {
        OnFailureRange whole = range(shard);
        List<ShardRangeReader.Lost> lost = new ArrayList<>();
        boolean gone = false;
        long records = 0;
        for (List<StoredShard.Placed> window : windows(shard)) {
            OnFailureRange range = range(window);
            if (gone) {
                lost.add(new ShardRangeReader.Lost(range.first(), range.last()));
                continue;
            }
            ShardRangeReader.ReRead stream = reader.read(range);
            gone = stream.gone().isPresent();
            lost.addAll(stream.lost());
            List<UserRecord> users = stream.records().stream().flatMap(record -> UserRecord.of(record).stream())
                    .toList();
            records += users.size();
            findings.read("kinesis " + range, stream.records().stream().mapToLong(r -> r.data().length).sum());
            StreamMatch.compare(StoredShard.read(raw, mapper, window), users, stream.lost(), wholeShard, findings);
        }
        if (!lost.isEmpty()) {
            findings.note("source gone for positions " + lost.stream().map(ShardRangeReader.Lost::toString)
                    .collect(Collectors.joining(", ")) + " of " + whole.stream() + " " + whole.shardId() + " ("
                    + whyGone(whole) + "): stored checks only");
        }
        return records + " records of " + whole;
    }

    private static List<List<StoredShard.Placed>> byShard(List<StoredShard.Placed> parts) {
        Map<String, List<StoredShard.Placed>> shards = new LinkedHashMap<>();
        parts.forEach(part -> shards.computeIfAbsent(part.streamArn() + "/" + part.shardId(), s -> new ArrayList<>())
                .add(part));
        return List.copyOf(shards.values());
    }

    /**
     * The shard's parts, in position order, cut into the ranges read at once: parts whose ranges overlap (writers
     * of one stream interleave) are read together, and further parts join while the read holds fewer than
     * {@code recordsPerRead} stored records. A range between two reads is in no part.
     */
    private List<List<StoredShard.Placed>> windows(List<StoredShard.Placed> shard) {
        List<StoredShard.Placed> sorted = new ArrayList<>(shard);
        sorted.sort(Comparator.comparing(StoredShard.Placed::first));
        List<List<StoredShard.Placed>> windows = new ArrayList<>();
        List<StoredShard.Placed> window = new ArrayList<>();
        Position reach = null;
        long records = 0;
        for (StoredShard.Placed part : sorted) {
            if (!window.isEmpty() && part.first().compareTo(reach) > 0 && records >= recordsPerRead) {
                windows.add(window);
                window = new ArrayList<>();
                records = 0;
            }
            reach = window.isEmpty() || part.last().compareTo(reach) > 0 ? part.last() : reach;
            window.add(part);
            records += part.records();
        }
        if (!window.isEmpty()) {
            windows.add(window);
        }
        return windows;
    }

    /** The sequence numbers of the parts' records, from the first part's first to the furthest last. */
    private static OnFailureRange range(List<StoredShard.Placed> parts) {
        StoredShard.Placed first = parts.stream().min(Comparator.comparing(StoredShard.Placed::first)).orElseThrow();
        Position last = parts.stream().map(StoredShard.Placed::last).max(Comparator.naturalOrder()).orElseThrow();
        return new OnFailureRange(first.streamArn(), first.shardId(), first.first().major(), last.major());
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
