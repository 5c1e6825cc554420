package dev.rawzone.runner.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.runner.aws.AwsClients;
import dev.rawzone.runner.demo.DemoCommand;
import dev.rawzone.runner.demo.RepositoryDemo;
import dev.rawzone.runner.deploy.TestStacks;
import dev.rawzone.testkit.EmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The demo (S3 objects with good and bad records, a Kinesis batch, a pull, a quarantine release under orders v2) run
 * on the repository template, its whole raw bucket downloaded with its keys, then read by DuckDB through each Glue
 * table of the template: its location template as the glob, its columns as the types. What DuckDB reads is what the
 * pipeline reported written, and nothing else.
 */
class GlueTablesQueryTest {
    @RegisterExtension
    static final EmulatorExtension EMULATOR = new EmulatorExtension();
    private static final Path ROOT = GlueTablesTest.ROOT;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The property that names a record of each dataset. */
    private static final Map<String, String> ID_PROPERTIES = Map.of(
            "orders", "order_id", "customers", "customer_id", "contacts", "id");
    /** Where the demo's replay step publishes the schemas it releases under (orders v2 among them). */
    private static final String DEMO_SCHEMAS = "config/demo-schemas";
    private static final Pattern REPORT_ROW = Pattern.compile(
            "^ {2}(s3|kinesis|pull|replay) .*?\\s(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)(\\s.*)?$");
    private static final Pattern TOTAL_ROW = Pattern.compile("^\\s+total\\s+(\\d+)\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+\\d+$");

    @TempDir
    Path dir;

    /** One record as DuckDB read it through a table. */
    private record Row(String source, String schema, String dt, String id, String file, String values) {
        String partition() {
            return source + "/" + schema + "/" + dt;
        }
    }

    @Test
    void duckDbReadsThroughTheGlueTablesExactlyTheRecordsThePipelineWrote() throws Exception {
        RepositoryDemo.requireBuiltJars();
        String report = RepositoryDemo.run(EMULATOR.emulator().endpoint());
        String bucket = TestStacks.deployed(EMULATOR.emulator().endpoint()).name(DemoCommand.RAW_BUCKET);
        Path zone = dir.resolve("zone");
        Map<String, Long> recordCounts;
        try (AwsClients aws = new AwsClients(EMULATOR.emulator().endpoint())) {
            recordCounts = download(aws.s3(), bucket, zone);
        }
        Map<String, JsonNode> tables = glueTables(CfnYaml.parse(Files.readString(ROOT.resolve("template.yaml"))));
        List<Path> schemaFolders = new ArrayList<>(GlueTables.repositorySchemas(ROOT));
        schemaFolders.add(zone.resolve(DEMO_SCHEMAS));
        Map<String, GlueTable> regenerated = GlueTables.from(schemaFolders).stream()
                .collect(Collectors.toMap(t -> GlueTemplateBlock.tableName(t.dataset()), t -> t));
        assertEquals(tables.keySet(), regenerated.keySet());

        Map<String, Long> readBySourceAndSchema = new TreeMap<>();
        Map<String, Long> readBySource = new TreeMap<>();
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:")) {
            for (Map.Entry<String, JsonNode> table : tables.entrySet()) {
                String name = table.getKey();
                JsonNode input = table.getValue();
                GlueTable published = regenerated.get(name);
                assertEquals(published.columns(), columns(input), name + ": a schema the demo publishes changes the "
                        + "columns, so the template's table would not read its records");
                List<Row> rows = read(duckDb, zone, input);
                assertTrue(rows.stream().allMatch(r -> r.file().startsWith(zone.resolve("raw") + "/")),
                        name + " reads outside raw/: " + rows);
                String idProperty = ID_PROPERTIES.get(name);
                assertTrue(idProperty != null, "add the property naming a record of " + name + " to ID_PROPERTIES");
                List<Stored> stored = recordsInParts(zone, name);
                assertEquals(ids(stored, idProperty), ids(rows), name + ": ids per partition");
                assertEquals(values(stored, columns(input)), rows.stream().map(r -> r.partition() + " " + r.values())
                        .sorted().toList(), name + ": every column's value as DuckDB read it vs the record's own");
                Set<String> files = rows.stream().map(Row::file).collect(Collectors.toSet());
                assertEquals(partsOf(recordCounts, name).size(), files.size(), name + ": parts read " + files);
                for (Map.Entry<String, List<Row>> partition : rows.stream()
                        .collect(Collectors.groupingBy(Row::partition, TreeMap::new, Collectors.toList())).entrySet()) {
                    Row any = partition.getValue().get(0);
                    String prefix = projectedPrefix(input, published, bucket, any);
                    long reported = recordCounts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                            .mapToLong(Map.Entry::getValue).sum();
                    assertTrue(Files.isDirectory(zone.resolve(prefix)), prefix + " (projected) is not a folder");
                    assertEquals(reported, partition.getValue().size(), prefix + ": records read vs the parts' record-count");
                }
                for (Row row : rows) {
                    readBySourceAndSchema.merge(row.source() + "/" + name + "/" + row.schema(), 1L, Long::sum);
                    readBySource.merge(row.source(), 1L, Long::sum);
                }
            }
        }
        assertEquals(lineageBySourceDatasetSchema(recordCounts), readBySourceAndSchema);
        assertEquals(writtenBySource(report), readBySource, report);
        assertTrue(readBySourceAndSchema.keySet().containsAll(List.of("s3/orders/v1", "s3/orders/v2",
                "kinesis/orders/v1", "pull/contacts/v1")), "the demo wrote two sources and two schema versions: "
                + readBySourceAndSchema);
    }

    /** Every object of the bucket under {@code zone/<key>}; returns each raw/ part's lineage record-count. */
    private static Map<String, Long> download(S3Client s3, String bucket, Path zone) throws IOException {
        Map<String, Long> recordCounts = new TreeMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket)).contents()) {
            Path file = zone.resolve(object.key());
            Files.createDirectories(file.getParent());
            Files.write(file, s3.getObjectAsBytes(g -> g.bucket(bucket).key(object.key())).asByteArray());
            if (object.key().startsWith("raw/")) {
                String count = s3.headObject(h -> h.bucket(bucket).key(object.key())).metadata().get("record-count");
                assertTrue(count != null, object.key() + " has no record-count");
                recordCounts.put(object.key(), Long.parseLong(count));
            }
        }
        assertTrue(Files.isDirectory(zone.resolve("quarantine")) && Files.isDirectory(zone.resolve("manifests")),
                "the demo quarantined records and wrote manifests beside raw/, so the tables must leave them out");
        return recordCounts;
    }

    /** The TableInput of each Glue table of the template, by table name. */
    private static Map<String, JsonNode> glueTables(JsonNode template) {
        Map<String, JsonNode> tables = new TreeMap<>();
        template.path("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals("AWS::Glue::Table")) {
                JsonNode input = resource.path("Properties").path("TableInput");
                tables.put(input.path("Name").asText(), input);
            }
        });
        assertFalse(tables.isEmpty(), "template.yaml has no Glue table");
        return tables;
    }

    private static List<GlueTable.Column> columns(JsonNode input) {
        List<GlueTable.Column> columns = new ArrayList<>();
        input.path("StorageDescriptor").path("Columns").forEach(c ->
                columns.add(new GlueTable.Column(c.path("Name").asText(), c.path("Type").asText())));
        return columns;
    }

    /**
     * The table's rows as DuckDB reads them: the location template with each partition as a wildcard (and every
     * folder below, as Athena reads a partition's subfolders), its columns as the types; {@code source} is the
     * folder after raw/ (not a key=value folder), {@code schema} and {@code dt} come from hive partitioning.
     */
    private static List<Row> read(Connection duckDb, Path zone, JsonNode input) throws SQLException {
        String template = input.path("Parameters").path("storage.location.template").path("Fn::Sub").asText();
        String glob = template.replace("s3://${RawBucket}/", zone + "/").replaceAll("\\$\\{!\\w+}", "*") + "**/*";
        String columns = columns(input).stream()
                .map(c -> "'" + c.name() + "': '" + DuckDbTypes.of(c.type()) + "'").collect(Collectors.joining(", "));
        String id = ID_PROPERTIES.getOrDefault(input.path("Name").asText(), "missing");
        String all = columns(input).stream().map(GlueTable.Column::name).collect(Collectors.joining(", "));
        String sql = "SELECT regexp_extract(filename, '/raw/([^/]+)/', 1), schema, dt, " + id + ", filename, " + all
                + " FROM read_json('" + glob + "', columns = {" + columns + "}, format = 'newline_delimited',"
                + " compression = 'gzip', hive_partitioning = true, hive_types_autocast = false, filename = true)";
        List<Row> rows = new ArrayList<>();
        try (Statement statement = duckDb.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                List<String> values = new ArrayList<>();
                List<GlueTable.Column> declared = columns(input);
                for (int i = 0; i < declared.size(); i++) {
                    values.add(declared.get(i).name() + "=" + read(result, 6 + i, declared.get(i).type()));
                }
                rows.add(new Row(result.getString(1), result.getString(2), result.getString(3), result.getString(4),
                        result.getString(5), String.join(" ", values)));
            }
        }
        return rows;
    }

    /** The raw/ parts of one dataset (raw/<source>/<dataset>/...). */
    private static List<String> partsOf(Map<String, Long> recordCounts, String dataset) {
        return recordCounts.keySet().stream().filter(key -> key.split("/")[2].equals(dataset)).toList();
    }

    /** A record of a part, parsed by Jackson from its line, and its partition (source/schema/dt). */
    private record Stored(String partition, JsonNode record) {
    }

    private static List<Stored> recordsInParts(Path zone, String dataset) throws IOException {
        List<Stored> records = new ArrayList<>();
        try (var files = Files.walk(zone.resolve("raw"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String[] key = zone.relativize(file).toString().split("/");
                if (!key[2].equals(dataset)) {
                    continue;
                }
                String partition = key[1] + "/" + key[3].substring("schema=".length()) + "/" + key[4].substring("dt=".length());
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        records.add(new Stored(partition, JSON.readTree(line)));
                    }
                }
            }
        }
        return records;
    }

    /** Partition -> sorted ids. */
    private static Map<String, List<String>> ids(List<Stored> records, String idProperty) {
        Map<String, List<String>> ids = new TreeMap<>();
        records.forEach(r -> ids.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.record().path(idProperty).asText()));
        ids.values().forEach(list -> list.sort(null));
        return ids;
    }

    /** "partition name=value ..." of each record, sorted, each value as a column of its type must read it. */
    private static List<String> values(List<Stored> records, List<GlueTable.Column> columns) {
        return records.stream().map(r -> r.partition() + " " + columns.stream()
                .map(c -> c.name() + "=" + expected(r.record().path(c.name()), c.type()))
                .collect(Collectors.joining(" "))).sorted().toList();
    }

    /**
     * A JSON value as the column should give it: a string column the text (a number's or object's JSON text), a
     * bigint only an integer as written, a double the number; structs and arrays are not compared here.
     */
    private static String expected(JsonNode value, String type) {
        if (type.contains("<")) {
            return "(" + type + ")";
        }
        if (value.isMissingNode() || value.isNull()) {
            return "null";
        }
        return switch (type) {
            case "string" -> value.isTextual() ? value.textValue() : value.toString();
            case "bigint" -> value.isIntegralNumber() ? value.asText() : "not an integer: " + value;
            case "double" -> value.isNumber() ? Double.toString(value.doubleValue()) : "not a number: " + value;
            case "boolean" -> value.isBoolean() ? value.asText() : "not a boolean: " + value;
            default -> throw new IllegalArgumentException("no expectation for a " + type + " column");
        };
    }

    private static String read(ResultSet result, int column, String type) throws SQLException {
        if (type.contains("<")) {
            return "(" + type + ")";
        }
        String text = switch (type) {
            case "string" -> result.getString(column);
            case "bigint" -> Long.toString(result.getLong(column));
            case "double" -> Double.toString(result.getDouble(column));
            case "boolean" -> Boolean.toString(result.getBoolean(column));
            default -> throw new IllegalArgumentException("no reading of a " + type + " column");
        };
        return result.wasNull() ? "null" : text;
    }

    private static Map<String, List<String>> ids(List<Row> rows) {
        Map<String, List<String>> ids = new TreeMap<>();
        rows.forEach(row -> ids.computeIfAbsent(row.partition(), p -> new ArrayList<>()).add(row.id()));
        ids.values().forEach(list -> list.sort(null));
        return ids;
    }

    /**
     * The folder the table's projection gives for the row's partition: its values must be ones the projection
     * enumerates (with the schemas the demo published), and the location template names a folder of them.
     */
    private static String projectedPrefix(JsonNode input, GlueTable published, String bucket, Row row) {
        JsonNode parameters = input.path("Parameters");
        assertTrue(Arrays.asList(parameters.path("projection.source.values").asText().split(",")).contains(row.source()),
                row.source() + " is not projected");
        assertTrue(published.schemaValues().contains(row.schema()), row.schema() + " is not projected");
        String[] range = parameters.path("projection.dt.range").asText().split(",");
        assertFalse(LocalDate.parse(row.dt()).isBefore(LocalDate.parse(range[0])), row.dt() + " is before " + range[0]);
        String location = parameters.path("storage.location.template").path("Fn::Sub").asText()
                .replace("${RawBucket}", bucket).replace("${!source}", row.source())
                .replace("${!schema}", row.schema()).replace("${!dt}", row.dt());
        String bucketPrefix = "s3://" + bucket + "/";
        assertTrue(location.startsWith(bucketPrefix), location);
        return location.substring(bucketPrefix.length());
    }

    private static Map<String, Long> lineageBySourceDatasetSchema(Map<String, Long> recordCounts) {
        Map<String, Long> counts = new TreeMap<>();
        recordCounts.forEach((key, count) -> {
            String[] parts = key.split("/");
            counts.merge(parts[1] + "/" + parts[2] + "/" + parts[3].substring("schema=".length()), count, Long::sum);
        });
        return counts;
    }

    /**
     * The records the demo's table of counts reports written, by the raw zone's source: replay's re-drive and
     * release write S3 units again, so their rows count under s3. The total row must be the sum of them all.
     */
    private static Map<String, Long> writtenBySource(String report) {
        Map<String, Long> written = new TreeMap<>();
        long total = -1;
        for (String line : report.lines().toList()) {
            Matcher row = REPORT_ROW.matcher(line);
            if (row.matches()) {
                String source = row.group(1).equals("replay") ? "s3" : row.group(1);
                written.merge(source, Long.parseLong(row.group(3)), Long::sum);
            }
            Matcher totals = TOTAL_ROW.matcher(line);
            if (totals.matches()) {
                total = Long.parseLong(totals.group(2));
            }
        }
        if (total < 0) {
            fail("the demo printed no total row:\n" + report);
        }
        assertEquals(total, written.values().stream().mapToLong(Long::longValue).sum(), "rows vs total:\n" + report);
        written.values().removeIf(count -> count == 0);
        return written;
    }
}
