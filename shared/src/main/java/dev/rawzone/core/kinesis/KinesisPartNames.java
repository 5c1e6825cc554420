package dev.rawzone.core.kinesis;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.write.Position;

import java.math.BigInteger;
import java.util.Locale;

/**
 * The name of a part, from its stream's ARN, its shard and its first position only:
 * {@code <stream name>.<ARN fingerprint>/<shardId>-<sequence number>-<sub-sequence number>.jsonl.gz}, both numbers
 * in fixed-width base 36.
 * <p>
 * Why the stream is a folder of its own: two streams routed to one dataset can both have a
 * {@code shardId-000000000000} with overlapping sequence numbers, and a stream name alone is not unique across
 * accounts and regions, so the name must carry the ARN. The ARN's fingerprint (16 hex digits of its SHA-256) makes
 * the folder unique; the stream name before it keeps it readable. Both do not fit beside the shard and position in
 * one key segment: segments are capped at 80 characters ({@link KeyParts#sanitise}), and the file name alone takes
 * 73 of them.
 * <p>
 * Why base 36: a real sequence number has 56 decimal digits, so {@code shardId-000000000000-<56 digits>.jsonl.gz}
 * (86) would be cut, and two parts could then share a key. In base 36 a 56-digit number takes at most 36 characters;
 * padded to 38 (room for 59 digits) the names stay unique, sort in position order, and fit. The decimal positions
 * are in each part's lineage metadata ({@code position-first}, {@code position-last}), and {@link #position} reads a
 * name (or a whole key) back.
 */
public final class KinesisPartNames {
    static final int SEQUENCE_WIDTH = 38;
    static final int SUB_WIDTH = 4;
    static final int MAX_SEGMENT = 80;
    static final String EXTENSION = ".jsonl.gz";

    private KinesisPartNames() {
    }

    /** {@code <stream folder>/<file>}: a relative path of two sanitised segments. */
    public static String name(String streamArn, String shardId, Position first) {
        return folder(streamArn) + "/" + file(shardId, first);
    }

    /**
     * {@code <stream folder>/<shardId>-<first>-0000/<last>.json}, both sequence numbers in fixed-width base 36: a
     * marker about the sequence range {@code first..last}. The last number takes a segment of its own, since the
     * shard and both numbers do not fit in one.
     */
    public static String rangeMarker(String streamArn, String shardId, BigInteger first, BigInteger last) {
        String file = file(shardId, new Position(first, 0));
        return folder(streamArn) + "/" + file.substring(0, file.length() - EXTENSION.length()) + "/"
                + pad(last.toString(36), SEQUENCE_WIDTH) + ".json";
    }

    /** The stream's folder: its name (cut to fit) and the fingerprint of its whole ARN. */
    static String folder(String streamArn) {
        String fingerprint = KeyParts.fingerprint(streamArn);
        String stream = KeyParts.sanitise(StreamRecord.streamName(streamArn));
        return stream.substring(0, Math.min(stream.length(), MAX_SEGMENT - 1 - fingerprint.length())) + "."
                + fingerprint;
    }

    static String file(String shardId, Position first) {
        String name = KeyParts.sanitise(shardId) + "-" + pad(first.major().toString(36), SEQUENCE_WIDTH) + "-"
                + pad(Long.toString(first.minor(), 36), SUB_WIDTH) + EXTENSION;
        if (name.length() > MAX_SEGMENT) {
            // Only for sequence numbers beyond 59 digits or shard ids beyond 20 characters: still unique per
            // position, no longer sortable.
            return KeyParts.sanitise(shardId).substring(0, Math.min(20, KeyParts.sanitise(shardId).length())) + "-h"
                    + KeyParts.fingerprint(shardId, first.toString()) + EXTENSION;
        }
        return name;
    }

    /** The first position a part name (or a key ending in one) encodes, for people and tools reading the raw zone. */
    public static Position position(String name) {
        String stem = name.endsWith(EXTENSION) ? name.substring(0, name.length() - EXTENSION.length()) : name;
        int sub = stem.lastIndexOf('-');
        int sequence = stem.lastIndexOf('-', sub - 1);
        if (sub < 0 || sequence < 0) {
            throw new IllegalArgumentException("not a Kinesis part name: " + name);
        }
        return new Position(new BigInteger(stem.substring(sequence + 1, sub), 36),
                Long.parseLong(stem.substring(sub + 1), 36));
    }

    private static String pad(String digits, int width) {
        String lower = digits.toLowerCase(Locale.ROOT);
        return lower.length() >= width ? lower : "0".repeat(width - lower.length()) + lower;
    }
}
