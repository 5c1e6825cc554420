package dev.rawzone.core.replay.redrive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.kinesis.KinesisPartNames;
import dev.rawzone.core.kinesis.OnFailureRange;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.write.ConditionalSink;

import java.io.IOException;
import java.util.Optional;

/**
 * Write-once markers about a Kinesis on-failure range, keyed by stream, shard, first and last sequence number
 * ({@link KinesisPartNames#rangeMarker}): {@code manifests/replay/lost/kinesis/...} for what the stream no longer
 * holds, and {@code manifests/replay/redriven/kinesis/...} once a redrive settled the range (written before the
 * ledger forgets it), so that a second copy of the message, whatever configuration is published by then, is known
 * settled instead of being decided again.
 */
final class RangeMarkers {
    static final String LOST_PREFIX = "manifests/replay/lost/kinesis/";
    static final String REDRIVEN_PREFIX = "manifests/replay/redriven/kinesis/";

    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    RangeMarkers(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    static String lost(OnFailureRange range) {
        return key(LOST_PREFIX, range);
    }

    static String redriven(OnFailureRange range) {
        return key(REDRIVEN_PREFIX, range);
    }

    private static String key(String prefix, OnFailureRange range) {
        return prefix + KinesisPartNames.rangeMarker(range.streamArn(), range.shardId(), range.first(), range.last());
    }

    /** A fresh marker body naming the range and the run. */
    ObjectNode body(OnFailureRange range, ReplayRun run) {
        ObjectNode marker = mapper.createObjectNode();
        marker.put("source", "kinesis");
        marker.put("stream_arn", range.streamArn());
        marker.put("stream", range.stream());
        marker.put("shard", range.shardId());
        marker.put("start_sequence_number", range.first().toString());
        marker.put("end_sequence_number", range.last().toString());
        marker.put("replay_run", run.runId());
        return marker;
    }

    /** Writes the marker unless one is there (a re-run writes nothing); returns its key. */
    String put(String key, ObjectNode marker, ReplayRun run) {
        try {
            raw.putIfAbsent(key, mapper.writeValueAsBytes(marker), run.context().marks());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        return key;
    }

    Optional<JsonNode> read(String key) {
        return raw.read(key).map(bytes -> {
            try {
                return mapper.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalStateException("the marker " + key + " is not JSON", e);
            }
        });
    }
}
