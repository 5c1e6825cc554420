package dev.rawzone.runner.glue;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Hive type of a JSON Schema property, as the Glue table declares it (README "Query the raw zone" has the table):
 * string, integer, number and boolean map to string, bigint, double and boolean; an object with properties to
 * {@code struct<...>} of its properties, an array to {@code array<...>} of its items. {@code null} beside one other
 * type is that type (a missing or null value reads as NULL). Anything else (several types, no type, an object without
 * properties) is a string: both JSON SerDes read a number or an object into a string column as its JSON text, so
 * nothing the source sent is lost to a type the column cannot hold.
 */
final class HiveType {
    static final String STRING = "string";
    private static final Map<String, String> PRIMITIVES = Map.of(
            "string", STRING, "integer", "bigint", "number", "double", "boolean", "boolean");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private HiveType() {
    }

    static String of(JsonNode property, String path) {
        Set<String> types = types(property.path("type"));
        if (types.equals(Set.of("integer", "number"))) {
            return PRIMITIVES.get("number");
        }
        if (types.size() != 1) {
            return STRING;
        }
        String type = types.iterator().next();
        if (type.equals("object")) {
            return struct(property.path("properties"), path);
        }
        if (type.equals("array")) {
            JsonNode items = property.path("items");
            return "array<" + (items.isObject() ? of(items, path + "[]") : STRING) + ">";
        }
        return PRIMITIVES.getOrDefault(type, STRING);
    }

    /**
     * The column name of a property: Glue keeps names in lower case and the JSON SerDe matches keys without regard
     * to case, so a name is lower-cased; one that is not a plain identifier then, or that two properties share, is
     * refused rather than renamed (a renamed column would need a SerDe key mapping).
     */
    static String columnName(String property, String path) {
        String name = property.toLowerCase(java.util.Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            throw new GlueTableException(path + ": property \"" + property + "\" is not a valid Glue column name "
                    + "(letters, digits and underscores, not starting with a digit)");
        }
        return name;
    }

    private static String struct(JsonNode properties, String path) {
        if (!properties.isObject() || properties.isEmpty()) {
            return STRING;
        }
        List<String> fields = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        properties.fields().forEachRemaining(field -> {
            String name = columnName(field.getKey(), path);
            if (!names.add(name)) {
                throw new GlueTableException(path + ": two properties are both column \"" + name + "\"");
            }
            fields.add(name + ":" + of(field.getValue(), path + "." + field.getKey()));
        });
        return "struct<" + String.join(",", fields) + ">";
    }

    private static Set<String> types(JsonNode type) {
        Set<String> types = new TreeSet<>();
        if (type.isTextual()) {
            types.add(type.textValue());
        } else if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        }
        types.remove("null");
        return types;
    }
}
