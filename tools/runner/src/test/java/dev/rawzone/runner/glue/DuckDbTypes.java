package dev.rawzone.runner.glue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Glue (Hive) column type as DuckDB writes it: {@code array<struct<n:bigint>>} is {@code STRUCT("n" BIGINT)[]}. */
final class DuckDbTypes {
    private static final Map<String, String> PRIMITIVES = Map.of(
            "string", "VARCHAR", "bigint", "BIGINT", "double", "DOUBLE", "boolean", "BOOLEAN");

    private final String hive;
    private int at;

    private DuckDbTypes(String hive) {
        this.hive = hive;
    }

    static String of(String hive) {
        DuckDbTypes parser = new DuckDbTypes(hive);
        String type = parser.type();
        if (parser.at != hive.length()) {
            throw new IllegalArgumentException("unexpected text at " + parser.at + " of " + hive);
        }
        return type;
    }

    private String type() {
        if (hive.startsWith("array<", at)) {
            at += "array<".length();
            String items = type();
            expect('>');
            return items + "[]";
        }
        if (hive.startsWith("struct<", at)) {
            at += "struct<".length();
            List<String> fields = new ArrayList<>();
            do {
                int colon = hive.indexOf(':', at);
                String name = hive.substring(at, colon);
                at = colon + 1;
                fields.add("\"" + name + "\" " + type());
            } while (hive.charAt(at++) == ',');
            at--;
            expect('>');
            return "STRUCT(" + String.join(", ", fields) + ")";
        }
        int end = at;
        while (end < hive.length() && Character.isLetter(hive.charAt(end))) {
            end++;
        }
        String primitive = PRIMITIVES.get(hive.substring(at, end));
        if (primitive == null) {
            throw new IllegalArgumentException("no DuckDB type for " + hive.substring(at, end) + " in " + hive);
        }
        at = end;
        return primitive;
    }

    private void expect(char c) {
        if (at >= hive.length() || hive.charAt(at) != c) {
            throw new IllegalArgumentException("expected " + c + " at " + at + " of " + hive);
        }
        at++;
    }
}
