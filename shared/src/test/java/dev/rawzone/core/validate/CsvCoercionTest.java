package dev.rawzone.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvCoercionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCHEMA = """
            {"type":"object",
             "properties":{
               "id":{"type":"integer"},
               "price":{"type":"number"},
               "active":{"type":"boolean"},
               "count":{"type":["integer","null"]},
               "label":{"type":["string","null"]},
               "code":{"type":"string"},
               "flag":{"type":["boolean","integer"]},
               "ref":{"$ref":"#/$defs/qty"},
               "any":{}
             },
             "$defs":{"qty":{"type":"integer"}}}""";

    private final CsvCoercion coercion = new CsvCoercion();
    private final DatasetSchema schema = schema(SCHEMA);

    private static DatasetSchema schema(String json) {
        try {
            return DatasetSchema.of("items", 1, MAPPER.readTree(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode coerced(String column, String text) {
        ObjectNode row = MAPPER.createObjectNode().put(column, text);
        return coercion.coerce(row, schema).get(column);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', emptyValue = "", nullValues = "NIL", textBlock = """
            id     | 42                    | 42
            id     | -7                    | -7
            id     | +7                    | 7
            id     | 0042                  | 42
            id     | 12.0                  | "12.0"
            id     | 1e3                   | "1e3"
            id     | ` 42`                 | " 42"
            id     | forty                 | "forty"
            id     | ``                    | ""
            price  | 12.50                 | 12.50
            price  | -0.001                | -0.001
            price  | 1e3                   | 1E+3
            price  | NaN                   | "NaN"
            price  | 12,5                  | "12,5"
            active | true                  | true
            active | FALSE                 | false
            active | True                  | true
            active | yes                   | "yes"
            active | 1                     | "1"
            count  | ``                    | null
            count  | 3                     | 3
            label  | ``                    | null
            label  | 42                    | "42"
            code   | 007                   | "007"
            code   | ``                    | ""
            flag   | TRUE                  | true
            flag   | 5                     | 5
            ref    | 9                     | 9
            any    | 9                     | "9"
            other  | 9                     | "9"
            """)
    void valuesAreTypedAfterTheSchema(String column, String text, String expectedJson) {
        assertEquals(expectedJson, coerced(column, text).toString());
    }

    @Test
    void integersBeyondLongBecomeBigIntegers() {
        JsonNode fits = coerced("id", "9223372036854775807");
        JsonNode big = coerced("id", "9223372036854775808");

        assertEquals(LongNode.valueOf(Long.MAX_VALUE), fits);
        assertInstanceOf(BigIntegerNode.class, big);
        assertEquals(new BigInteger("9223372036854775808"), big.bigIntegerValue());
    }

    @Test
    void decimalsStayExact() {
        JsonNode price = coerced("price", "0.10000000000000000000000001");

        assertInstanceOf(DecimalNode.class, price);
        assertEquals(new BigDecimal("0.10000000000000000000000001"), price.decimalValue());
        assertEquals(new BigDecimal("12.50"), coerced("price", "12.50").decimalValue(), "the scale is kept");
    }

    @Test
    void theRowItselfIsNotChangedAndColumnOrderIsKept() {
        ObjectNode row = MAPPER.createObjectNode().put("zeta", "1").put("id", "1").put("active", "true");

        ObjectNode typed = coercion.coerce(row, schema);

        assertEquals("{\"zeta\":\"1\",\"id\":\"1\",\"active\":\"true\"}", row.toString());
        assertEquals("{\"zeta\":\"1\",\"id\":1,\"active\":true}", typed.toString());
    }

    @Test
    void coercedRowsValidateAndUnparsableValuesAreReported() {
        String customers = """
                {"type":"object","required":["id"],"additionalProperties":false,
                 "properties":{"id":{"type":"integer"},"balance":{"type":"number"},"active":{"type":"boolean"},
                               "nickname":{"type":["string","null"]}}}""";
        SchemaCatalogue catalogue = new SchemaCatalogue(MapSchemaSource.of("customers", customers));
        RecordValidator validator = new RecordValidator(catalogue);
        DatasetSchema current = catalogue.schema("customers", 1);

        ObjectNode good = MAPPER.createObjectNode()
                .put("id", "17").put("balance", "-12.75").put("active", "TRUE").put("nickname", "");
        ObjectNode bad = MAPPER.createObjectNode()
                .put("id", "17x").put("balance", "12.5.1").put("active", "maybe").put("nickname", "");

        assertTrue(validator.validate("customers", coercion.coerce(good, current)).isValid());
        assertEquals(new Validation.Invalid("customers", 1, "$.active: boolean expected, string found; "
                        + "$.balance: number expected, string found; $.id: integer expected, string found"),
                validator.validate("customers", coercion.coerce(bad, current)));
    }
}
