package dev.rawzone.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaCompatibilityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SchemaCompatibility compatibility = new SchemaCompatibility();

    private List<String> problems(String previous, String next) throws Exception {
        return compatibility.problems(MAPPER.readTree(previous), MAPPER.readTree(next));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            property newly required   | {"properties":{"a":{"type":"string"}}}                         | {"properties":{"a":{"type":"string"}},"required":["a"]}                       | $.a: newly required
            new property required     | {"properties":{}}                                              | {"properties":{"b":{"type":"string"}},"required":["b"]}                       | $.b: newly required
            type narrowed             | {"properties":{"a":{"type":["string","null"]}}}                | {"properties":{"a":{"type":"string"}}}                                        | $.a: type narrowed from [null, string] to [string]
            type changed              | {"properties":{"a":{"type":"string"}}}                         | {"properties":{"a":{"type":"integer"}}}                                       | $.a: type narrowed from [string] to [integer]
            number to integer         | {"properties":{"a":{"type":"number"}}}                         | {"properties":{"a":{"type":"integer"}}}                                       | $.a: type narrowed from [number] to [integer]
            type added where none     | {"properties":{"a":{}}}                                        | {"properties":{"a":{"type":"string"}}}                                        | $.a: type restricted from any to [string]
            removed from closed object| {"properties":{"a":{},"b":{}},"additionalProperties":false}    | {"properties":{"a":{}},"additionalProperties":false}                          | $.b: property removed while additionalProperties is false
            additionalProperties off  | {"properties":{"a":{}}}                                        | {"properties":{"a":{}},"additionalProperties":false}                          | $: additionalProperties changed from allowed to false
            enum loses a value        | {"properties":{"a":{"enum":["x","y","z"]}}}                    | {"properties":{"a":{"enum":["x","z"]}}}                                       | $.a: enum lost values ["y"]
            enum added                | {"properties":{"a":{"type":"string"}}}                         | {"properties":{"a":{"type":"string","enum":["x"]}}}                           | $.a: enum added where any value was allowed
            const changed             | {"properties":{"a":{"const":1}}}                               | {"properties":{"a":{"const":2}}}                                              | $.a: enum lost values [1]
            nested required           | {"properties":{"o":{"type":"object","properties":{"z":{}}}}}   | {"properties":{"o":{"type":"object","properties":{"z":{}},"required":["z"]}}} | $.o.z: newly required
            nested type narrowed      | {"properties":{"o":{"properties":{"z":{"type":"number"}}}}}    | {"properties":{"o":{"properties":{"z":{"type":"integer"}}}}}                  | $.o.z: type narrowed from [number] to [integer]
            array items narrowed      | {"properties":{"t":{"type":"array","items":{"type":"string"}}}}| {"properties":{"t":{"type":"array","items":{"type":"integer"}}}}              | $.t[*]: type narrowed from [string] to [integer]
            root type changed         | {"type":"object"}                                              | {"type":"array"}                                                              | $: type narrowed from [object] to [array]
            property becomes false    | {"properties":{"a":{"type":"string"}}}                         | {"properties":{"a":false}}                                                    | $.a: no longer accepts any value
            removed into typed extras | {"properties":{"a":{"type":"integer"}}}                        | {"properties":{},"additionalProperties":{"type":"string"}}                    | $.a: type narrowed from [integer] to [string]
            through a local ref       | {"properties":{"a":{"$ref":"#/$defs/t"}},"$defs":{"t":{"type":"string"}}} | {"properties":{"a":{"$ref":"#/$defs/t"}},"$defs":{"t":{"type":"integer"}}} | $.a: type narrowed from [string] to [integer]
            odd property name         | {"properties":{"a b":{"type":"string"}}}                       | {"properties":{"a b":{"type":"string"}},"required":["a b"]}                   | $['a b']: newly required
            """)
    void narrowingChangesAreProblems(String name, String previous, String next, String expected) throws Exception {
        assertEquals(List.of(expected), problems(previous, next));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            identical                 | {"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}  | {"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}
            new optional property     | {"properties":{"a":{"type":"string"}}}                                   | {"properties":{"a":{"type":"string"},"b":{"type":"integer"}}}
            integer widened to number | {"properties":{"a":{"type":"integer"}}}                                  | {"properties":{"a":{"type":"number"}}}
            null allowed              | {"properties":{"a":{"type":"string"}}}                                   | {"properties":{"a":{"type":["string","null"]}}}
            type dropped              | {"properties":{"a":{"type":"string"}}}                                   | {"properties":{"a":{}}}
            requirement dropped       | {"required":["a"],"properties":{"a":{}}}                                 | {"properties":{"a":{}}}
            enum gains a value        | {"properties":{"a":{"enum":["x"]}}}                                      | {"properties":{"a":{"enum":["x","y"]}}}
            enum typed consistently   | {"properties":{"a":{"enum":["x","y"]}}}                                  | {"properties":{"a":{"type":"string","enum":["x","y"]}}}
            enum dropped              | {"properties":{"a":{"enum":["x"]}}}                                      | {"properties":{"a":{"type":"string"}}}
            removed from open object  | {"properties":{"a":{},"b":{}}}                                           | {"properties":{"a":{}}}
            closed object opened      | {"properties":{"a":{}},"additionalProperties":false}                     | {"properties":{"a":{}}}
            still closed, prop added  | {"properties":{"a":{}},"additionalProperties":false}                     | {"properties":{"a":{},"b":{}},"additionalProperties":false}
            removed into patterns     | {"properties":{"x_1":{}},"additionalProperties":false}                   | {"patternProperties":{"^x_":{}},"additionalProperties":false}
            previously false          | {"properties":{"a":false}}                                               | {"properties":{"a":{"type":"string"}}}
            items widened             | {"properties":{"t":{"items":{"type":"integer"}}}}                        | {"properties":{"t":{"items":{"type":"number"}}}}
            """)
    void compatibleChangesHaveNoProblems(String name, String previous, String next) throws Exception {
        assertEquals(List.of(), problems(previous, next));
    }

    @Test
    void everyProblemIsListed() throws Exception {
        List<String> problems = problems("""
                {"properties":{"a":{"type":"string"},"b":{"enum":[1,2]}}}""", """
                {"required":["a"],"properties":{"a":{"type":"integer"},"b":{"enum":[1]}},"additionalProperties":false}""");

        assertEquals(List.of(
                "$.a: newly required",
                "$: additionalProperties changed from allowed to false",
                "$.a: type narrowed from [string] to [integer]",
                "$.b: enum lost values [2]"), problems);
    }

    @Test
    void aRemoteRefIsNotChecked() throws Exception {
        JsonNode previous = MAPPER.readTree("{\"properties\":{\"a\":{\"$ref\":\"https://example.com/a.json\"}}}");
        JsonNode next = MAPPER.readTree("{\"properties\":{\"a\":{\"type\":\"string\"}}}");

        assertEquals(List.of(), compatibility.problems(previous, next));
    }
}
