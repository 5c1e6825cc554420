package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.Validation;
import dev.rawzone.core.write.Position;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * One stored line judged again under a target schema version: a data part's record, or a quarantine entry's
 * verbatim {@code record}. A valid record keeps its exact bytes; an invalid one gets a quarantine entry with the
 * new reason and the record verbatim; an entry without a record (unreadable input, {@code raw}) stays as it is.
 */
public final class Revalidation {
    /** What a line is under the target version. */
    public enum Verdict { VALID, INVALID, UNREADABLE }

    /**
     * @param record   the record's own bytes (null for an unreadable entry)
     * @param entry    the quarantine entry for it under the target version (null when valid)
     * @param position the source position a quarantine entry names (empty for a data part's record: parts do not
     *                 keep per-record positions)
     */
    public record Checked(Verdict verdict, byte[] record, byte[] entry, Optional<Position> position) {
    }

    /** Which part a line is from and what it is judged against. */
    public record Target(String inputKey, String sourceUri, String dataset, int version) {
    }

    private static final String RECORD = "record";

    private final RecordValidator validator;
    private final ObjectMapper mapper;

    public Revalidation(RecordValidator validator, ObjectMapper mapper) {
        this.validator = validator;
        this.mapper = mapper;
    }

    /** A data part's record, {@code line} its 1-based line in the part. */
    public Checked record(Target target, int line, byte[] record) {
        ObjectNode entry = mapper.createObjectNode();
        entry.put("source", target.sourceUri());
        entry.put("dataset", target.dataset());
        entry.put("derived_from", target.inputKey());
        entry.put("part_line", line);
        return judge(target, record, parsed(record), entry, Optional.empty());
    }

    /** A quarantine entry: its record re-validated, or kept verbatim when it has none. */
    public Checked entry(Target target, byte[] line) {
        JsonNode stored = parsed(line);
        if (stored == null || !stored.has(RECORD)) {
            return new Checked(Verdict.UNREADABLE, null, line, stored == null ? Optional.empty() : position(stored));
        }
        byte[] record = recordBytes(line);
        ObjectNode entry = mapper.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = stored.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals(RECORD) && !field.getKey().equals("reason")
                    && !field.getKey().equals("schema_version")) {
                entry.set(field.getKey(), field.getValue());
            }
        }
        entry.put("derived_from", target.inputKey());
        return judge(target, record, stored.get(RECORD), entry, position(stored));
    }

    /**
     * Where a quarantine entry's record came from: {@code line} (S3), {@code sequence} with {@code sub_sequence}
     * (Kinesis), {@code position} (pull).
     */
    public static Optional<Position> position(JsonNode entry) {
        try {
            if (entry.hasNonNull("sequence")) {
                return Optional.of(Position.of(entry.get("sequence").asText(), entry.path("sub_sequence").asLong(0)));
            }
            for (String name : new String[] {"line", "position"}) {
                if (entry.hasNonNull(name)) {
                    return Optional.of(Position.parse(entry.get(name).asText()));
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Checked judge(Target target, byte[] record, JsonNode tree, ObjectNode entry, Optional<Position> position) {
        Validation validation = tree instanceof ObjectNode object
                ? validator.validate(target.dataset(), object, target.version())
                : new Validation.Invalid(target.dataset(), target.version(), "not a JSON object");
        if (validation.isValid()) {
            return new Checked(Verdict.VALID, record, null, position);
        }
        entry.put("reason", ((Validation.Invalid) validation).reason());
        entry.put("schema_version", validation.version());
        entry.putRawValue(RECORD, new RawValue(new String(record, StandardCharsets.UTF_8)));
        return new Checked(Verdict.INVALID, record, serialise(entry), position);
    }

    private JsonNode parsed(byte[] line) {
        try {
            return mapper.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** The bytes of the entry's top-level {@code record} value exactly as stored: never re-serialised. */
    private byte[] recordBytes(byte[] line) {
        try (JsonParser parser = mapper.getFactory().createParser(line)) {
            parser.nextToken();
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                boolean isRecord = parser.currentName().equals(RECORD);
                parser.nextToken();
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                parser.finishToken();
                if (isRecord) {
                    return Arrays.copyOfRange(line, start, (int) parser.currentLocation().getByteOffset());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a quarantine entry that parsed as a tree stopped parsing", e);
        }
        throw new IllegalStateException("a quarantine entry with a record has no top-level record field");
    }

    private byte[] serialise(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
