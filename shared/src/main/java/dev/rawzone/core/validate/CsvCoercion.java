package dev.rawzone.core.validate;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Types the values of a CSV row (all strings) after the schema, before validation. For each column the schema's
 * {@code properties.<name>.type} (a string or an array; a local {@code $ref} is followed) decides:
 * <ul>
 *   <li>an empty string becomes JSON null when the type allows {@code null};</li>
 *   <li>when {@code string} is allowed the value is kept as it is (nothing is lost);</li>
 *   <li>otherwise, in this order: {@code integer} gives a long, or a BigInteger beyond long, when the text is an
 *       integer exactly ({@code [+-]?digits}, no spaces); {@code number} gives an exact BigDecimal; {@code boolean}
 *       gives true/false (case-insensitive).</li>
 * </ul>
 * Anything that does not parse stays a string, so validation then reports it. Columns the schema does not type
 * ({@code anyOf}, no {@code type}, not declared) and values that are not strings are left as they are. The row
 * itself is not changed: a new node is returned.
 */
public final class CsvCoercion {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final int MAX_REF_HOPS = 8;

    public ObjectNode coerce(ObjectNode row, DatasetSchema schema) {
        JsonNode properties = schema.document().path("properties");
        ObjectNode typed = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : row.properties()) {
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                JsonNode type = typeOf(schema.document(), properties.get(field.getKey()));
                if (type != null) {
                    value = coerce(value.textValue(), type, value);
                }
            }
            typed.set(field.getKey(), value);
        }
        return typed;
    }

    private static JsonNode coerce(String text, JsonNode type, JsonNode original) {
        if (text.isEmpty()) {
            return allows(type, "null") ? NullNode.getInstance() : original;
        }
        if (allows(type, "string")) {
            return original;
        }
        if (allows(type, "integer") && INTEGER.matcher(text).matches()) {
            BigInteger integer = new BigInteger(text);
            return integer.bitLength() < Long.SIZE ? LongNode.valueOf(integer.longValue()) : BigIntegerNode.valueOf(integer);
        }
        if (allows(type, "number")) {
            try {
                return DecimalNode.valueOf(new BigDecimal(text));
            } catch (NumberFormatException notANumber) {
                // falls through
            }
        }
        if (allows(type, "boolean")) {
            if ("true".equalsIgnoreCase(text)) {
                return BooleanNode.TRUE;
            }
            if ("false".equalsIgnoreCase(text)) {
                return BooleanNode.FALSE;
            }
        }
        return original;
    }

    private static boolean allows(JsonNode type, String name) {
        if (type.isTextual()) {
            return name.equals(type.textValue());
        }
        for (JsonNode each : type) {
            if (name.equals(each.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The {@code type} node of a property schema (following local refs), or null when there is none. */
    private static JsonNode typeOf(JsonNode root, JsonNode property) {
        JsonNode current = property;
        for (int hops = 0; current != null && current.isObject() && hops <= MAX_REF_HOPS; hops++) {
            JsonNode type = current.get("type");
            if (type != null) {
                return type.isTextual() || type.isArray() ? type : null;
            }
            JsonNode ref = current.get("$ref");
            if (ref == null || !ref.isTextual() || !ref.textValue().startsWith("#")) {
                return null;
            }
            try {
                JsonNode target = root.at(JsonPointer.compile(ref.textValue().substring(1)));
                current = target.isMissingNode() ? null : target;
            } catch (IllegalArgumentException badPointer) {
                return null;
            }
        }
        return null;
    }
}
