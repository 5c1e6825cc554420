package dev.rawzone.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordValidatorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SchemaCatalogue catalogue = new SchemaCatalogue(new ClasspathSchemaSource("schemas"));
    private final RecordValidator validator = new RecordValidator(catalogue);

    private static ObjectNode record(String json) throws Exception {
        return (ObjectNode) MAPPER.readTree(json);
    }

    @Test
    void aConformingRecordIsValidAgainstTheCurrentVersion() throws Exception {
        Validation result = validator.validate("orders", record("{\"id\":\"o-1\",\"amount\":12.5,\"currency\":\"GBP\"}"));

        Validation.Valid valid = assertInstanceOf(Validation.Valid.class, result);
        assertEquals(2, valid.version());
        assertEquals("orders", valid.dataset());
        assertEquals("https://schemas.rawzone.dev/orders/v2.json", valid.schema().schemaId());
    }

    @Test
    void violationsAreJoinedIntoAShortReason() throws Exception {
        Validation result = validator.validate("orders", record("{\"amount\":\"12\",\"schema_version\":1}"));

        assertEquals(new Validation.Invalid("orders", 1,
                "$.amount: integer expected, string found; $.id: required property missing"), result);
    }

    @Test
    void otherViolationsKeepTheValidatorsWording() throws Exception {
        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class,
                validator.validate("orders", record("{\"id\":\"o-1\",\"amount\":1,\"currency\":\"CHF\"}")));

        assertEquals("$.currency: does not have a value in the enumeration [\"EUR\", \"USD\", \"GBP\"]", invalid.reason());
    }

    @ParameterizedTest(name = "schema_version {0}")
    @ValueSource(strings = {"1", "\"1\"", "\"v1\"", "\"V1\"", "\" v1 \""})
    void aDeclaredVersionIsTheOneValidatedAgainst(String declared) throws Exception {
        // GBP and decimal amounts are valid in v2, not in v1
        ObjectNode order = record("{\"id\":\"o-1\",\"amount\":12.5,\"currency\":\"GBP\",\"schema_version\":" + declared + "}");

        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class, validator.validate("orders", order));

        assertEquals(1, invalid.version());
        assertEquals("$.amount: integer expected, number found; "
                + "$.currency: does not have a value in the enumeration [\"EUR\", \"USD\"]", invalid.reason());
    }

    @ParameterizedTest(name = "schema_version {0}")
    @ValueSource(strings = {"2", "\"2\"", "\"v2\""})
    void aRecordDeclaringTheCurrentVersionIsValidatedAgainstIt(String declared) throws Exception {
        ObjectNode order = record("{\"id\":\"o-1\",\"amount\":12.5,\"currency\":\"GBP\",\"schema_version\":" + declared + "}");

        assertEquals(2, assertInstanceOf(Validation.Valid.class, validator.validate("orders", order)).version());
    }

    @ParameterizedTest(name = "schema_version {0}")
    @ValueSource(strings = {"null", "\"\"", "\"  \""})
    void anEmptyDeclarationMeansTheCurrentVersion(String declared) throws Exception {
        ObjectNode order = record("{\"id\":\"o-1\",\"amount\":12.5,\"schema_version\":" + declared + "}");

        assertEquals(2, validator.validate("orders", order).version());
    }

    @Test
    void anUnknownDeclaredVersionIsInvalid() throws Exception {
        Validation result = validator.validate("orders", record("{\"id\":\"o-1\",\"amount\":1,\"schema_version\":\"v9\"}"));

        assertEquals(new Validation.Invalid("orders", 9,
                "$.schema_version: dataset orders has no schema v9 (known: v1..v2)"), result);
    }

    @ParameterizedTest(name = "schema_version {0}")
    @ValueSource(strings = {"\"two\"", "2.5", "2.0", "0", "-1", "\"v0\"", "\"02\"", "\"v2x\"", "\"vv2\"", "true",
            "{\"v\":2}", "[2]", "99999999999"})
    void aMalformedDeclarationIsInvalid(String declared) throws Exception {
        ObjectNode order = record("{\"id\":\"o-1\",\"amount\":1,\"schema_version\":" + declared + "}");

        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class, validator.validate("orders", order));

        assertEquals(Validation.NO_VERSION, invalid.version());
        assertEquals("$.schema_version: malformed version declaration " + declared
                + " (expected a positive integer like 2, \"2\" or \"v2\")", invalid.reason());
    }

    @Test
    void aLongListOfViolationsIsCappedNear1KiB() throws Exception {
        String properties = IntStream.range(0, 200)
                .mapToObj(i -> String.format("\"field_%03d\":{\"type\":\"integer\"}", i))
                .collect(Collectors.joining(","));
        String values = IntStream.range(0, 200)
                .mapToObj(i -> String.format("\"field_%03d\":\"x\"", i))
                .collect(Collectors.joining(","));
        RecordValidator wide = new RecordValidator(new SchemaCatalogue(
                MapSchemaSource.of("wide", "{\"properties\":{" + properties + "}}")));

        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class,
                wide.validate("wide", record("{" + values + "}")));

        assertTrue(invalid.reason().length() <= RecordValidator.MAX_REASON_LENGTH, () -> invalid.reason().length() + "");
        assertTrue(invalid.reason().length() > RecordValidator.MAX_REASON_LENGTH - 100, () -> invalid.reason().length() + "");
        assertTrue(invalid.reason().startsWith("$.field_000: integer expected, string found; $.field_001:"),
                invalid.reason());
        assertTrue(invalid.reason().matches(".*; \\.\\.\\. \\(\\+1[0-9]{2} more\\)"), invalid.reason());
    }

    @Test
    void formatsAreAsserted() throws Exception {
        Validation result = validator.validate("customers", record("{\"id\":1,\"joined\":\"2024-02-30\"}"));

        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class, result);
        assertTrue(invalid.reason().startsWith("$.joined: "), invalid.reason());
        assertTrue(validator.validate("customers", record("{\"id\":1,\"joined\":\"2024-02-29\"}")).isValid());
    }

    @Test
    void aClosedSchemaNamesTheUnexpectedProperty() throws Exception {
        Validation result = validator.validate("customers", record("{\"id\":1,\"email\":\"a@b.c\"}"));

        assertEquals(new Validation.Invalid("customers", 1, "$.email: property not allowed"), result);
    }

    @Test
    void schemasAreLoadedOnceForManyRecords() throws Exception {
        MapSchemaSource source = MapSchemaSource.of("ds",
                "{\"properties\":{\"n\":{\"type\":\"integer\"}}}", "{\"properties\":{\"n\":{\"type\":\"number\"}}}");
        RecordValidator counted = new RecordValidator(new SchemaCatalogue(source));

        Validation first = counted.validate("ds", record("{\"n\":1}"));
        for (int i = 0; i < 1_000; i++) {
            assertSame(first, counted.validate("ds", record("{\"n\":" + i + "}")), "the Valid outcome is reused");
            counted.validate("ds", record("{\"n\":" + i + ",\"schema_version\":1}"));
        }

        assertEquals(1, source.listings.get());
        assertEquals(2, source.reads.get());
    }

    @Test
    void anUnknownDatasetIsAConfigurationErrorNotAnInvalidRecord() throws Exception {
        assertThrows(UnknownDatasetException.class, () -> validator.validate("invoices", record("{}")));
    }
}
