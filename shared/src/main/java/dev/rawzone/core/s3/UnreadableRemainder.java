package dev.rawzone.core.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * What of an object could not be read as records: all of it, or its remainder from {@code fromLine}, the first
 * line that no other count accounts for (lines before it were written, quarantined one by one, or found already
 * written). The copy in quarantine is the whole object, kept as evidence; this verdict covers only the lines from
 * {@code fromLine} on. It counts as one unit, not as records: how many records the remainder holds is unknown.
 *
 * @param quarantineKey where the whole-object copy is
 */
public record UnreadableRemainder(String quarantineKey, long fromLine, String reason) {
    public UnreadableRemainder {
        if (fromLine < 1) {
            throw new IllegalArgumentException("lines count from 1: " + fromLine);
        }
    }

    /** Nothing of the object was read as records. */
    public boolean wholeObject() {
        return fromLine == 1;
    }

    /** As manifests and reports show it; {@code record_count} is null because nobody can know it. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("covers", wholeObject() ? "whole_object" : "remainder");
        json.put("from_line", fromLine);
        json.putNull("record_count");
        json.put("counted_as", "1 unit, not records");
        json.put("quarantine_key", quarantineKey);
        json.put("reason", reason);
        return json;
    }

    static Optional<UnreadableRemainder> fromJson(JsonNode json) {
        return json.isObject()
                ? Optional.of(new UnreadableRemainder(json.path("quarantine_key").asText(), json.path("from_line").asLong(1),
                        json.path("reason").asText()))
                : Optional.empty();
    }
}
