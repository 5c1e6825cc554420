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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What ingestion stored of one Kinesis shard, as a re-read of the stream compares it: the data parts (their range
 * and lines: a data part keeps no per-record position) and the quarantine entries (each at its position, with the
 * payload bytes it kept). Only parts as ingestion wrote them: a derived part (rebuilt, released) holds records an
 * original part holds too, and a part that cannot be read is its own part unit's problem.
 *
 * @param streamArn the stream, and {@code shardId} the shard, that the parts' {@code source-identity} names
 */
record StoredShard(String streamArn, String shardId, List<DataPart> data, List<Entry> entries) {

    /** A data part: its lineage's {@code position-first} and {@code position-last}, and its lines in order. */
    record DataPart(String key, Position first, Position last, List<byte[]> lines) {
    }

    /**
     * A quarantine entry at its position, and what it kept of the record, if readable: the record's stored text
     * ({@code text}: as a data part stores a record) or the payload's bytes.
     */
    record Entry(String key, Position position, Optional<byte[]> payload, boolean text) {
    }

    Position first() {
        return bounds(true);
    }

    Position last() {
        return bounds(false);
    }

    private Position bounds(boolean first) {
        List<Position> ends = new ArrayList<>();
        data.forEach(part -> ends.add(first ? part.first() : part.last()));
        entries.forEach(entry -> ends.add(entry.position()));
        return ends.stream().reduce((a, b) -> (a.compareTo(b) < 0) == first ? a : b).orElseThrow();
    }

    /** The parts among {@code keys} written by Kinesis ingestion, by the shard their lineage names. */
    static List<StoredShard> read(ConditionalSink raw, ObjectMapper mapper, List<String> keys) {
        Map<String, List<DataPart>> data = new LinkedHashMap<>();
        Map<String, List<Entry>> entries = new LinkedHashMap<>();
        for (String key : keys) {
            if (PartKey.parse(key).filter(PartKey::isOriginal).isEmpty()) {
                continue;
            }
            Optional<Map<String, String>> lineage = raw.metadata(key)
                    .filter(m -> !m.containsKey(StoredParts.DERIVED_FROM) && m.get("source-identity") != null
                            && m.get("source-identity").lastIndexOf('/') > 0);
            Optional<List<byte[]>> lines = lineage.flatMap(m -> raw.read(key)).flatMap(PartLines::read);
            if (lines.isEmpty()) {
                continue;
            }
            String identity = lineage.get().get("source-identity");
            if (key.startsWith("quarantine/")) {
                List<Entry> shard = entries.computeIfAbsent(identity, i -> new ArrayList<>());
                lines.get().forEach(line -> entry(key, line, mapper).ifPresent(shard::add));
            } else {
                range(key, lineage.get(), lines.get())
                        .ifPresent(part -> data.computeIfAbsent(identity, i -> new ArrayList<>()).add(part));
            }
        }
        Set<String> identities = new LinkedHashSet<>(data.keySet());
        identities.addAll(entries.keySet());
        List<StoredShard> shards = new ArrayList<>();
        for (String identity : identities) {
            StoredShard shard = new StoredShard(identity.substring(0, identity.lastIndexOf('/')),
                    identity.substring(identity.lastIndexOf('/') + 1), List.copyOf(data.getOrDefault(identity, List.of())),
                    List.copyOf(entries.getOrDefault(identity, List.of())));
            if (!shard.data().isEmpty() || !shard.entries().isEmpty()) {
                shards.add(shard);
            }
        }
        return shards;
    }

    private static Optional<DataPart> range(String key, Map<String, String> lineage, List<byte[]> lines) {
        try {
            return Optional.of(new DataPart(key, Position.parse(lineage.get(Lineage.POSITION_FIRST)),
                    Position.parse(lineage.get(Lineage.POSITION_LAST)), lines));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
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
