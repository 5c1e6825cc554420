package dev.rawzone.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;

class SchemaCatalogueTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Supplier<S3Client> NO_S3 = () -> {
        throw new AssertionError("S3 must not be used for this location");
    };

    private static ObjectNode record(String json) throws Exception {
        return (ObjectNode) MAPPER.readTree(json);
    }

    @Test
    void classpathSchemasAreFoundByProbingVersions() {
        SchemaCatalogue catalogue = new SchemaCatalogue(SchemaSources.fromLocation("classpath:schemas", NO_S3));

        assertEquals(2, catalogue.currentVersion("orders"));
        assertEquals(List.of(1, 2), catalogue.versions("orders"));
        DatasetSchema v1 = catalogue.schema("orders", 1);
        assertEquals("orders/v1", v1.schemaId(), "without $id the id is <dataset>/v<N>");
        assertEquals("orders, first version", v1.document().get("title").asText());
        assertEquals("https://schemas.rawzone.dev/orders/v2.json", catalogue.schema("orders", 2).schemaId());
        assertEquals(1, catalogue.currentVersion("customers"));
    }

    @Test
    void aMissingVersionIsReported() {
        SchemaCatalogue catalogue = new SchemaCatalogue(new ClasspathSchemaSource("classpath:/schemas/"));

        UnknownSchemaVersionException e = assertThrows(UnknownSchemaVersionException.class,
                () -> catalogue.schema("orders", 3));
        assertEquals("dataset orders has no schema v3 (known: v1..v2)", e.getMessage());
        assertEquals(3, e.version());
    }

    @Test
    void anUnknownDatasetIsReportedWithWhereItWasLookedFor() {
        SchemaCatalogue catalogue = new SchemaCatalogue(new ClasspathSchemaSource("schemas"));

        UnknownDatasetException e = assertThrows(UnknownDatasetException.class, () -> catalogue.currentVersion("invoices"));
        assertEquals("unknown dataset invoices: no schema at classpath:schemas/invoices/v1.json", e.getMessage());
        assertEquals("invoices", e.dataset());
        UnknownDatasetException badName = assertThrows(UnknownDatasetException.class,
                () -> catalogue.currentVersion("../schemas/orders"));
        assertTrue(badName.getMessage().contains("is not valid"), badName.getMessage());
    }

    @Test
    void datasetsAreLoadedOnceAndSchemasReused() {
        MapSchemaSource source = MapSchemaSource.of("orders", "{\"type\":\"object\"}", "{\"type\":\"object\"}");
        SchemaCatalogue catalogue = new SchemaCatalogue(source);

        DatasetSchema first = catalogue.schema("orders", 2);
        for (int i = 0; i < 50; i++) {
            assertSame(first, catalogue.schema("orders", 2));
            assertEquals(2, catalogue.currentVersion("orders"));
        }

        assertEquals(1, source.listings.get());
        assertEquals(2, source.reads.get());
    }

    @Test
    void draft202012IsTheDefaultDialect() throws Exception {
        // dependentRequired is a 2019-09/2020-12 keyword; draft-07 would ignore it
        String schema = "{\"type\":\"object\",\"dependentRequired\":{\"card\":[\"expiry\"]}}";
        RecordValidator validator = new RecordValidator(new SchemaCatalogue(MapSchemaSource.of("pay", schema)));

        Validation result = validator.validate("pay", record("{\"card\":\"4111\"}"));

        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class, result);
        assertTrue(invalid.reason().contains("expiry"), invalid.reason());
        assertTrue(validator.validate("pay", record("{\"card\":\"4111\",\"expiry\":\"12/30\"}")).isValid());
    }

    @Test
    void anotherDeclaredDialectIsHonoured() throws Exception {
        String schema = """
                {"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
                 "dependentRequired":{"card":["expiry"]},"properties":{"card":{"type":"string"}}}""";
        RecordValidator validator = new RecordValidator(new SchemaCatalogue(MapSchemaSource.of("pay", schema)));

        assertTrue(validator.validate("pay", record("{\"card\":\"4111\"}")).isValid(),
                "draft-07 does not know dependentRequired");
        assertInstanceOf(Validation.Invalid.class, validator.validate("pay", record("{\"card\":4111}")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not JSON            | {"type":                                                 | memory:/bad/v1.json is not valid JSON
            trailing garbage    | {"type":"object"} }                                      | memory:/bad/v1.json is not valid JSON
            duplicate key       | {"type":"object","type":"array"}                         | memory:/bad/v1.json is not valid JSON
            not an object       | ["type","object"]                                        | memory:/bad/v1.json must be a JSON object
            not a JSON Schema   | {"type":"object","properties":{"a":{"type":"text"}}}     | memory:/bad/v1.json is not a valid JSON Schema: $.properties.a.type
            required not array  | {"required":"a"}                                         | memory:/bad/v1.json is not a valid JSON Schema: $.required: array expected, string found
            unknown dialect     | {"$schema":"https://example.com/my-dialect","type":"object"} | memory:/bad/v1.json: unsupported $schema 'https://example.com/my-dialect'
            remote ref          | {"properties":{"a":{"$ref":"https://example.com/a.json"}}}   | memory:/bad/v1.json cannot be compiled
            """)
    void malformedSchemasAreRefused(String name, String schema, String expected) {
        SchemaCatalogue catalogue = new SchemaCatalogue(MapSchemaSource.of("bad", schema));

        MalformedSchemaException e = assertThrows(MalformedSchemaException.class, () -> catalogue.currentVersion("bad"));
        assertTrue(e.getMessage().startsWith(expected), () -> "message was: " + e.getMessage());
    }

    @Test
    void versionsWithAGapAreRefused() {
        MapSchemaSource source = new MapSchemaSource().put("gap", 1, "{}").put("gap", 3, "{}");

        MalformedSchemaException e = assertThrows(MalformedSchemaException.class,
                () -> new SchemaCatalogue(source).currentVersion("gap"));
        assertEquals("dataset gap: schema versions must run v1, v2, ... without gaps, found [v1, v3] at memory:",
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            newly required            | {"properties":{"a":{"type":"string"}}}                        | {"properties":{"a":{"type":"string"}},"required":["a"]}  | $.a: newly required
            type narrowed             | {"properties":{"a":{"type":["string","null"]}}}               | {"properties":{"a":{"type":"string"}}}                   | $.a: type narrowed from [null, string] to [string]
            type changed              | {"properties":{"a":{"type":"string"}}}                        | {"properties":{"a":{"type":"boolean"}}}                  | $.a: type narrowed from [string] to [boolean]
            property removed, closed  | {"properties":{"a":{},"b":{}},"additionalProperties":false}   | {"properties":{"a":{}},"additionalProperties":false}     | $.b: property removed while additionalProperties is false
            additionalProperties off  | {"properties":{"a":{}}}                                       | {"properties":{"a":{}},"additionalProperties":false}     | $: additionalProperties changed from allowed to false
            enum loses values         | {"properties":{"a":{"enum":["x","y"]}}}                       | {"properties":{"a":{"enum":["x"]}}}                      | $.a: enum lost values ["y"]
            """)
    void anIncompatibleNextVersionIsRefusedAtLoad(String name, String v1, String v2, String problem) {
        SchemaCatalogue catalogue = new SchemaCatalogue(MapSchemaSource.of("ds", v1, v2));

        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> catalogue.currentVersion("ds"));

        assertEquals(2, e.version());
        assertEquals(List.of(problem), e.problems());
        assertEquals("dataset ds: schema v2 is not backward compatible with v1: " + problem, e.getMessage());
        assertThrows(IncompatibleSchemaException.class, () -> catalogue.schema("ds", 1),
                "no version of a refused dataset is usable");
    }

    @Test
    void everyVersionIsCheckedAgainstItsPredecessor() {
        MapSchemaSource source = MapSchemaSource.of("ds",
                "{\"properties\":{\"a\":{\"type\":\"integer\"}}}",
                "{\"properties\":{\"a\":{\"type\":\"number\"}}}",
                "{\"properties\":{\"a\":{\"type\":\"number\"}},\"required\":[\"a\"]}");

        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> new SchemaCatalogue(source).currentVersion("ds"));
        assertEquals(3, e.version());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            new optional property | {"properties":{"a":{"type":"string"}},"required":["a"]} | {"properties":{"a":{"type":"string"},"b":{"type":"integer"}},"required":["a"]}
            widened type          | {"properties":{"a":{"type":"integer"}}}                 | {"properties":{"a":{"type":["number","null"]}}}
            enum gains a value    | {"properties":{"a":{"enum":["x"]}}}                     | {"properties":{"a":{"enum":["x","y"]}}}
            """)
    void compatibleNextVersionsLoad(String name, String v1, String v2) {
        SchemaCatalogue catalogue = new SchemaCatalogue(MapSchemaSource.of("ds", v1, v2));

        assertEquals(2, catalogue.currentVersion("ds"));
    }

    @Test
    void aRefusedDatasetIsRetriedSoAFixIsPickedUp() {
        MapSchemaSource source = MapSchemaSource.of("ds", "{\"properties\":{\"a\":{}}}", "{\"required\":[\"a\"]}");
        SchemaCatalogue catalogue = new SchemaCatalogue(source);
        assertThrows(IncompatibleSchemaException.class, () -> catalogue.currentVersion("ds"));

        source.put("ds", 2, "{\"properties\":{\"a\":{},\"b\":{}}}");

        assertEquals(2, catalogue.currentVersion("ds"));
    }

    @Test
    void onlyClasspathAndS3LocationsHoldSchemas() {
        assertInstanceOf(ClasspathSchemaSource.class, SchemaSources.fromLocation("classpath:schemas", NO_S3));
        assertInstanceOf(S3SchemaSource.class, SchemaSources.fromLocation("s3://bucket/schemas", NO_S3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchemaSources.fromLocation("/etc/schemas", NO_S3));
        assertTrue(e.getMessage().contains("classpath:<root> or s3://bucket/prefix"), e.getMessage());
    }
}
