package dev.rawzone.core.checkpoint;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
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

    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    private static long of(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            String digits = value.n().replaceAll("[^0-9]", "").replaceFirst("^0+(?=.)", "");
            return (digits.length() + 1) / 2 + 1;
        }
        if (value.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> element : value.m().entrySet()) {
                size += utf8(element.getKey()) + of(element.getValue()) + 1;
            }
            return size;
        }
        throw new IllegalArgumentException("a checkpoint holds only strings, numbers and maps: " + value.type());
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
