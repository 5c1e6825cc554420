package dev.rawzone.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * An item's size as DynamoDB counts it against its 400 KB limit: attribute names and values in UTF-8, a number
 * one byte per two significant digits plus one, a map three bytes plus one per element. The store checks before it
 * writes, so a refusal names the checkpoint and is the same whatever the backend (DynamoDB's is a generic
 * {@code ValidationException}; the emulator's own estimate of the size is not DynamoDB's).
 */
final class DynamoDbItemSize {
    static final int LIMIT = 400 * 1024;

    private DynamoDbItemSize() {
    }

    /** @param item in DynamoDB's JSON: a name -> {@code {"S": ...}}, {@code {"N": ...}} or {@code {"M": {...}}} */
    static long of(JsonNode item) {
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> attributes = item.fields(); attributes.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = attributes.next();
            size += utf8(attribute.getKey()) + ofValue(attribute.getValue());
        }
        return size;
    }

    private static long ofValue(JsonNode value) {
        if (value.has("S")) {
            return utf8(value.get("S").asText());
        }
        if (value.has("N")) {
            String digits = value.get("N").asText().replaceAll("[^0-9]", "").replaceFirst("^0+(?=.)", "");
            return (digits.length() + 1) / 2 + 1;
        }
        if (value.has("M")) {
            return 3 + of(value.get("M")) + value.get("M").size();
        }
        throw new IllegalArgumentException("a checkpoint holds only strings, numbers and maps: " + value);
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
