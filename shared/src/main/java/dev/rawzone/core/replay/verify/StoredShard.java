package dev.rawzone.core.replay.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.replay.PartLines;
import dev.rawzone.core.replay.rederive.PartKey;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.Position;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What ingestion stored of (a range of) one Kinesis shard, as a re-read of the stream compares it: the data parts
 * (their range and lines: a data part keeps no per-record position) and the quarantine entries (each at its position,
 * with the payload bytes it kept). Only parts as ingestion wrote them: a derived part (rebuilt, released) holds
 * records an original part holds too, and a part that cannot be read is its own part unit's problem.
 */
record StoredShard(List<DataPart> data, List<Entry> entries) {

    /** A data part: its lineage's {@code position-first} and {@code position-last}, and its lines in order. */
    record DataPart(String key, Position first, Position last, List<byte[]> lines) {
    }

    /**
     * A quarantine entry at its position, and what it kept of the record, if readable: the record's stored text
     * ({@code text}: as a data part stores a record) or the payload's bytes.
     */
    record Entry(String key, Position position, Optional<byte[]> payload, boolean text) {
    }

    /** A part as its lineage places it: the shard its {@code source-identity} names, its range, its records. */
    record Placed(String key, String streamArn, String shardId, Position first, Position last, long records) {
    }

    /** The parts among {@code keys} as Kinesis ingestion wrote them, from their lineage alone. */
    static List<Placed> place(ConditionalSink raw, List<String> keys) {
        List<Placed> placed = new ArrayList<>();
        for (String key : keys) {
            if (PartKey.parse(key).filter(PartKey::isOriginal).isEmpty()) {
                continue;
            }
            raw.metadata(key).filter(lineage -> !lineage.containsKey(StoredParts.DERIVED_FROM))
                    .flatMap(lineage -> placed(key, lineage)).ifPresent(placed::add);
        }
        return placed;
    }

    private static Optional<Placed> placed(String key, Map<String, String> lineage) {
        String identity = lineage.getOrDefault("source-identity", "");
        int slash = identity.lastIndexOf('/');
        try {
            return slash <= 0 ? Optional.empty() : Optional.of(new Placed(key, identity.substring(0, slash),
                    identity.substring(slash + 1), Position.parse(lineage.get(Lineage.POSITION_FIRST)),
                    Position.parse(lineage.get(Lineage.POSITION_LAST)), Long.parseLong(lineage.get(Lineage.RECORD_COUNT))));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** The content of placed parts of one shard; a part no longer readable as gzip is left out. */
    static StoredShard read(ConditionalSink raw, ObjectMapper mapper, List<Placed> parts) {
        List<DataPart> data = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (Placed part : parts) {
            Optional<List<byte[]>> lines = raw.read(part.key()).flatMap(PartLines::read);
            if (lines.isEmpty()) {
                continue;
            }
            if (part.key().startsWith("quarantine/")) {
                lines.get().forEach(line -> entry(part.key(), line, mapper).ifPresent(entries::add));
            } else {
                data.add(new DataPart(part.key(), part.first(), part.last(), lines.get()));
            }
        }
        return new StoredShard(List.copyOf(data), List.copyOf(entries));
    }

    /**
     * An entry as the Kinesis ingester writes it: {@code sequence} and {@code sub_sequence}, then the record as
     * {@code record} (its stored text, verbatim: read here as the bytes between its braces), {@code raw} (the payload
     * as UTF-8 text) or {@code raw_base64}. A line that is not one is its part unit's problem.
     */
    private static Optional<Entry> entry(String key, byte[] line, ObjectMapper mapper) {
        BigInteger sequence = null;
        long sub = 0;
        byte[] payload = null;
        boolean text = false;
        try (JsonParser parser = mapper.getFactory().createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "sequence" -> sequence = new BigInteger(parser.getText());
                    case "sub_sequence" -> sub = parser.getLongValue();
                    case "record" -> {
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        payload = Arrays.copyOfRange(line, start, (int) parser.currentLocation().getByteOffset());
                        text = true;
                    }
                    case "raw" -> payload = parser.getText().getBytes(StandardCharsets.UTF_8);
                    case "raw_base64" -> payload = Base64.getDecoder().decode(parser.getText());
                    default -> {
                        if (value.isStructStart()) {
                            parser.skipChildren();
                        }
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return sequence == null ? Optional.empty()
                : Optional.of(new Entry(key, new Position(sequence, sub), Optional.ofNullable(payload), text));
    }
}
