package dev.rawzone.runner.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** template.yaml's Glue block against the schemas it is generated from, and the schema-to-Hive mapping. */
class GlueTablesTest {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The block of template.yaml from {@link GlueTemplateBlock#BEGIN} to {@link GlueTemplateBlock#END}. */
    static String templateBlock() throws IOException {
        String template = Files.readString(ROOT.resolve("template.yaml"));
        int begin = template.indexOf(GlueTemplateBlock.BEGIN);
        int end = template.indexOf(GlueTemplateBlock.END);
        assertTrue(begin >= 0 && end > begin, "template.yaml has no Glue block (" + GlueTemplateBlock.BEGIN.strip() + ")");
        return template.substring(begin, end + GlueTemplateBlock.END.length() + 1);
    }

    @Test
    void theTemplatesGlueTablesAreTheOnesTheSchemasGive() throws IOException {
        String generated = GlueTemplateBlock.render(GlueTables.from(GlueTables.repositorySchemas(ROOT)));

        assertEquals(generated, templateBlock(), "template.yaml's Glue tables disagree with the datasets' schemas: "
                + "run ./ingest glue-tables and paste its output over the block");
    }

    @Test
    void aNewSchemaVersionChangesTheBlockSoTheTemplateMustBeRegenerated() throws IOException {
        Path orders = Files.createDirectories(dir.resolve("orders"));
        ObjectNode v2 = (ObjectNode) JSON.readTree(ROOT.resolve("functions/s3-ingest/src/main/resources/schemas/orders/v1.json").toFile());
        v2.with("properties").putObject("channel").put("type", "string");
        Files.writeString(orders.resolve("v2.json"), v2.toString());
        Files.copy(ROOT.resolve("functions/s3-ingest/src/main/resources/schemas/orders/v1.json"), orders.resolve("v1.json"));
        List<Path> folders = new ArrayList<>(GlueTables.repositorySchemas(ROOT));
        folders.add(dir);

        String generated = GlueTemplateBlock.render(GlueTables.from(folders));

        assertNotEquals(templateBlock(), generated);
        GlueTable table = GlueTables.from(folders).stream().filter(t -> t.dataset().equals("orders")).findFirst().orElseThrow();
        assertEquals(List.of("v1", "v2"), table.schemaValues());
        assertEquals(new GlueTable.Column("channel", "string"), table.columns().get(table.columns().size() - 1));
    }

    @Test
    void everyPartitionKeyIsProjectedAndPlacedInTheLocationTemplate() throws IOException {
        JsonNode resources = CfnYaml.parse("Resources:\n" + templateBlock()).path("Resources");
        List<String> tables = new ArrayList<>();
        resources.fields().forEachRemaining(resource -> {
            if (!resource.getValue().path("Type").asText().equals("AWS::Glue::Table")) {
                return;
            }
            JsonNode input = resource.getValue().path("Properties").path("TableInput");
            tables.add(input.path("Name").asText());
            JsonNode parameters = input.path("Parameters");
            String location = parameters.path("storage.location.template").path("Fn::Sub").asText();
            List<String> keys = new ArrayList<>();
            input.path("PartitionKeys").forEach(key -> keys.add(key.path("Name").asText()));
            assertEquals(GlueTable.PARTITION_KEYS, keys);
            for (String key : keys) {
                assertTrue(parameters.hasNonNull("projection." + key + ".type"), key + " is not projected");
                assertTrue(location.contains("${!" + key + "}"), location + " does not place " + key);
            }
            assertEquals("s3://${RawBucket}/raw/${!source}/" + input.path("Name").asText()
                    + "/schema=${!schema}/dt=${!dt}/", location);
        });
        assertEquals(List.of("contacts", "customers", "orders"), tables);
    }

    @Test
    void jsonSchemaTypesMapToHiveTypes() throws IOException {
        JsonNode schema = JSON.readTree("""
                {"properties": {
                  "Id": {"type": ["integer", "string"]},
                  "count": {"type": "integer"}, "price": {"type": ["number", "null"]}, "score": {"type": ["integer", "number"]},
                  "ok": {"type": "boolean"}, "note": {}, "meta": {"type": "object"},
                  "tags": {"type": "array", "items": {"type": "string"}}, "any": {"type": "array"},
                  "address": {"type": "object", "properties": {"city": {"type": "string"},
                     "lines": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}}}}
                }}""");

        GlueTable table = GlueTable.of("things", 3, schema);

        assertEquals(List.of(
                new GlueTable.Column("id", "string"), new GlueTable.Column("count", "bigint"),
                new GlueTable.Column("price", "double"), new GlueTable.Column("score", "double"),
                new GlueTable.Column("ok", "boolean"), new GlueTable.Column("note", "string"),
                new GlueTable.Column("meta", "string"), new GlueTable.Column("tags", "array<string>"),
                new GlueTable.Column("any", "array<string>"),
                new GlueTable.Column("address", "struct<city:string,lines:array<struct<n:bigint>>>")), table.columns());
        assertEquals(List.of("v1", "v2", "v3"), table.schemaValues());
        assertTrue(GlueTemplateBlock.render(List.of(table))
                .contains("Type: \"struct<city:string,lines:array<struct<n:bigint>>>\""), "a type with a colon is quoted");
    }

    @Test
    void aPropertyThatCannotBeAColumnIsRefusedWithItsName() throws IOException {
        GlueTableException partitionKey = assertThrows(GlueTableException.class, () -> GlueTable.of("events", 1,
                JSON.readTree("{\"properties\": {\"dt\": {\"type\": \"string\"}}}")));
        assertEquals("events v1: property \"dt\" would be column \"dt\", which is a partition key", partitionKey.getMessage());
        GlueTableException spaced = assertThrows(GlueTableException.class, () -> GlueTable.of("events", 2,
                JSON.readTree("{\"properties\": {\"user\": {\"type\": \"object\", \"properties\": {\"first name\": {}}}}}")));
        assertTrue(spaced.getMessage().startsWith("events v2.user: property \"first name\" is not a valid Glue column name"),
                spaced.getMessage());
        GlueTableException twice = assertThrows(GlueTableException.class, () -> GlueTable.of("events", 1,
                JSON.readTree("{\"properties\": {\"Name\": {}, \"name\": {}}}")));
        assertTrue(twice.getMessage().contains("another property is"), twice.getMessage());
    }

    @Test
    void twoFoldersWithDifferentSchemasOfOneVersionAreRefused() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a/orders"));
        Path b = Files.createDirectories(dir.resolve("b/orders"));
        Files.writeString(a.resolve("v1.json"), "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}}");
        Files.writeString(b.resolve("v1.json"), "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}}}");

        GlueTableException e = assertThrows(GlueTableException.class,
                () -> GlueTables.from(List.of(dir.resolve("a"), dir.resolve("b"))));

        assertTrue(e.getMessage().startsWith("orders v1 differs between"), e.getMessage());
    }
}
