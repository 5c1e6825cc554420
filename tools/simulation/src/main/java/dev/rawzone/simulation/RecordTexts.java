package dev.rawzone.simulation;

import java.util.Random;

/**
 * Source records as JSON text, of the kinds a raw zone must keep as sent: numbers and escapes a parse and
 * re-serialisation would rewrite, raw non-ASCII text, keys out of order, odd spacing; and the two kinds of
 * reject, a record its schema refuses and one that is not JSON at all. Every record carries its id.
 */
final class RecordTexts {
    enum Kind { VALID, INVALID, BROKEN }

    private static final String[] VALID = {
        "{\"id\":\"%s\",\"n\":%d,\"s\":\"plain\"}",
        "{\"n\":-0.0,\"id\":\"%s\",\"s\":\"caf\\u00e9\",\"k\":%d}",
        "{\"id\":\"%s\",\"n\":1e400,\"s\":\"\uD83D\uDE00 \u00e9t\u00e9 \u8ba2\u5355\",\"k\":%d}",
        "{\"id\":\"%s\", \"n\" : 1.10 ,\"s\":\"a\\/b\",\"k\":%d}",
        "{\"id\":\"%s\",\"n\":12345678901234567890123,\"k\":%d}",
    };

    private RecordTexts() {
    }

    static Kind kind(Random random) {
        int dice = random.nextInt(10);
        return dice < 7 ? Kind.VALID : dice < 9 ? Kind.INVALID : Kind.BROKEN;
    }

    static String json(Kind kind, String id, Random random) {
        return switch (kind) {
            case VALID -> String.format(VALID[random.nextInt(VALID.length)], id, random.nextInt(1000));
            case INVALID -> "{\"id\":\"" + id + "\",\"n\":\"seven\"}";
            case BROKEN -> "{\"id\":\"" + id + "\",\"n\":";
        };
    }

    static String csvHeader() {
        return "id,n,s";
    }

    static String csv(Kind kind, String id, Random random) {
        return switch (kind) {
            case VALID -> id + "," + random.nextInt(1000) + ",plain \u00e9";
            case INVALID -> id + ",seven,x";
            case BROKEN -> id + ",1";
        };
    }

    /** The datasets' schema, version 1: an id and a number; a later version only adds an optional field. */
    static String schema(int version) {
        String tag = version > 1 ? ",\"tag\":{\"type\":\"string\"}" : "";
        return "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                + "\"required\":[\"id\",\"n\"],\"properties\":{\"id\":{\"type\":\"string\"},\"n\":{\"type\":\"number\"},"
                + "\"s\":{\"type\":\"string\"},\"k\":{\"type\":\"integer\"}" + tag + "}}";
    }
}
