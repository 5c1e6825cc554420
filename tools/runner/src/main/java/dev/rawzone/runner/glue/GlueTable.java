package dev.rawzone.runner.glue;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One dataset's table: its columns from the properties of its newest schema version, and the schema versions
 * {@code v1..v<versions>} its {@code schema} partition projects.
 */
public record GlueTable(String dataset, int versions, List<Column> columns) {
    /** The partition keys, in the order of the raw zone's folders. */
    public static final List<String> PARTITION_KEYS = List.of("source", "schema", "dt");

    public record Column(String name, String type) {
    }

    /** The table of {@code dataset} whose newest version {@code versions} is the JSON Schema {@code schema}. */
    public static GlueTable of(String dataset, int versions, JsonNode schema) {
        String path = dataset + " v" + versions;
        List<Column> columns = new ArrayList<>();
        Set<String> names = new TreeSet<>(PARTITION_KEYS);
        schema.path("properties").fields().forEachRemaining(property -> {
            String name = HiveType.columnName(property.getKey(), path);
            if (!names.add(name)) {
                throw new GlueTableException(path + ": property \"" + property.getKey() + "\" would be column \""
                        + name + "\", which " + (PARTITION_KEYS.contains(name) ? "is a partition key" : "another property is"));
            }
            columns.add(new Column(name, HiveType.of(property.getValue(), path + "." + property.getKey())));
        });
        if (columns.isEmpty()) {
            throw new GlueTableException(path + ": the schema declares no properties, so the table would have no column");
        }
        return new GlueTable(dataset, versions, List.copyOf(columns));
    }

    /** {@code v1,v2,...}: the folder names {@code schema=v<N>} of every version. */
    public List<String> schemaValues() {
        List<String> values = new ArrayList<>();
        for (int version = 1; version <= versions; version++) {
            values.add("v" + version);
        }
        return values;
    }
}
