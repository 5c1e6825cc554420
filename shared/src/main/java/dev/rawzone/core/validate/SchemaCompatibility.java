package dev.rawzone.core.validate;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Backward compatibility in the Confluent sense: data valid under {@code previous} must stay valid under
 * {@code next}. The check is structural, not a proof. It compares, from the root down through {@code properties}
 * (recursively) and array {@code items}:
 * <ul>
 *   <li>a property newly added to {@code required};</li>
 *   <li>a type set that narrows or changes ({@code integer} to {@code number} is a widening; a type added where
 *       there was none is a narrowing);</li>
 *   <li>a property removed while {@code additionalProperties} is false (or checked against an
 *       {@code additionalProperties} schema when that is one);</li>
 *   <li>{@code additionalProperties} turned from allowed to false;</li>
 *   <li>an {@code enum} (or {@code const}) that loses values, or appears where there was none.</li>
 * </ul>
 * Local {@code $ref}s ({@code #/...}) are followed. Not checked: remote refs, {@code allOf}/{@code anyOf}/{@code oneOf}/
 * {@code not}/{@code if}, {@code patternProperties} beyond exempting the names they match, {@code unevaluatedProperties},
 * and tightened constraints ({@code minimum}, {@code maxLength}, {@code pattern}, {@code format}, ...). A property
 * added to an open object (no {@code additionalProperties: false}) counts as compatible, on the assumption that
 * earlier data did not carry undeclared fields of that name.
 */
public final class SchemaCompatibility {
    private static final int MAX_DEPTH = 32;
    private static final JsonNode ANY = JsonNodeFactory.instance.objectNode();

    /** The ways {@code next} rejects data that {@code previous} accepted; empty when compatible. */
    public List<String> problems(JsonNode previous, JsonNode next) {
        List<String> problems = new ArrayList<>();
        compare("$", new Roots(previous, next), previous, next, problems, 0);
        return List.copyOf(problems);
    }

    private record Roots(JsonNode previous, JsonNode next) {
    }

    private void compare(String path, Roots roots, JsonNode previousNode, JsonNode nextNode, List<String> problems,
            int depth) {
        JsonNode previous = resolve(roots.previous(), previousNode);
        JsonNode next = resolve(roots.next(), nextNode);
        if (previous == null || next == null || depth > MAX_DEPTH) {
            return; // an unresolvable ref or a deep recursion: not checked
        }
        if (isFalse(previous)) {
            return; // nothing was valid before
        }
        if (isFalse(next)) {
            problems.add(path + ": no longer accepts any value");
            return;
        }
        compareTypes(path, previous, next, problems);
        compareEnums(path, previous, next, problems);
        compareObjects(path, roots, previous, next, problems, depth);
        JsonNode previousItems = previous.get("items");
        JsonNode nextItems = next.get("items");
        Set<String> previousTypes = effectiveTypes(previous);
        boolean previousArrays = previousTypes == null || previousTypes.contains("array");
        if (previousArrays && nextItems != null && (nextItems.isObject() || nextItems.isBoolean())) {
            compare(path + "[*]", roots, previousItems == null ? ANY : previousItems, nextItems, problems, depth + 1);
        }
    }

    private static void compareTypes(String path, JsonNode previous, JsonNode next, List<String> problems) {
        Set<String> nextTypes = types(next);
        if (nextTypes == null) {
            return;
        }
        Set<String> previousTypes = effectiveTypes(previous);
        if (previousTypes == null) {
            problems.add(path + ": type restricted from any to " + nextTypes);
            return;
        }
        for (String type : previousTypes) {
            if (!allows(nextTypes, type)) {
                problems.add(path + ": type narrowed from " + previousTypes + " to " + nextTypes);
                return;
            }
        }
    }

    private static void compareEnums(String path, JsonNode previous, JsonNode next, List<String> problems) {
        List<JsonNode> nextValues = enumValues(next);
        if (nextValues == null) {
            return;
        }
        List<JsonNode> previousValues = enumValues(previous);
        if (previousValues == null) {
            problems.add(path + ": enum added where any value was allowed");
            return;
        }
        List<String> lost = new ArrayList<>();
        for (JsonNode value : previousValues) {
            if (!nextValues.contains(value)) {
                lost.add(value.toString());
            }
        }
        if (!lost.isEmpty()) {
            problems.add(path + ": enum lost values " + lost);
        }
    }

    private void compareObjects(String path, Roots roots, JsonNode previous, JsonNode next, List<String> problems,
            int depth) {
        Set<String> previousRequired = strings(previous.get("required"));
        for (String name : strings(next.get("required"))) {
            if (!previousRequired.contains(name)) {
                problems.add(child(path, name) + ": newly required");
            }
        }

        JsonNode previousAdditional = previous.get("additionalProperties");
        JsonNode nextAdditional = next.get("additionalProperties");
        boolean nextClosed = isFalse(nextAdditional);
        if (nextClosed && !isFalse(previousAdditional)) {
            problems.add(path + ": additionalProperties changed from allowed to false");
        }

        JsonNode previousProperties = previous.path("properties");
        JsonNode nextProperties = next.path("properties");
        for (Map.Entry<String, JsonNode> property : previousProperties.properties()) {
            String name = property.getKey();
            String where = child(path, name);
            JsonNode nextProperty = nextProperties.get(name);
            if (nextProperty != null) {
                compare(where, roots, property.getValue(), nextProperty, problems, depth + 1);
            } else if (matchesPatternProperty(next, name)) {
                continue; // governed by patternProperties now: not checked
            } else if (nextClosed) {
                problems.add(where + ": property removed while additionalProperties is false");
            } else if (nextAdditional != null && nextAdditional.isObject()) {
                compare(where, roots, property.getValue(), nextAdditional, problems, depth + 1);
            }
        }
    }

    /** Declared types, or null when any type is allowed. */
    private static Set<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return null;
        }
        Set<String> types = new TreeSet<>();
        if (type.isTextual()) {
            types.add(type.textValue());
        } else if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        }
        return types;
    }

    /** What previous data could be: its declared types, or the types of its enum values when it declares none. */
    private static Set<String> effectiveTypes(JsonNode schema) {
        Set<String> declared = types(schema);
        if (declared != null) {
            return declared;
        }
        List<JsonNode> values = enumValues(schema);
        if (values == null) {
            return null;
        }
        Set<String> types = new TreeSet<>();
        values.forEach(value -> types.add(typeOf(value)));
        return types;
    }

    private static boolean allows(Set<String> types, String type) {
        return types.contains(type) || ("integer".equals(type) && types.contains("number"));
    }

    private static String typeOf(JsonNode value) {
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isNull()) {
            return "null";
        }
        return value.isArray() ? "array" : "object";
    }

    private static List<JsonNode> enumValues(JsonNode schema) {
        JsonNode values = schema.get("enum");
        if (values != null && values.isArray()) {
            List<JsonNode> list = new ArrayList<>();
            values.forEach(list::add);
            return list;
        }
        JsonNode constant = schema.get("const");
        return constant == null ? null : List.of(constant);
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        if (array != null && array.isArray()) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static boolean matchesPatternProperty(JsonNode schema, String name) {
        JsonNode patterns = schema.get("patternProperties");
        if (patterns == null || !patterns.isObject()) {
            return false;
        }
        for (Iterator<String> it = patterns.fieldNames(); it.hasNext(); ) {
            try {
                if (Pattern.compile(it.next()).matcher(name).find()) {
                    return true;
                }
            } catch (PatternSyntaxException e) {
                // a pattern Java cannot read exempts nothing
            }
        }
        return false;
    }

    /** Follows local refs; boolean true means any value. Null when a ref cannot be followed. */
    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; hops < 16; hops++) {
            if (current == null) {
                return null;
            }
            if (current.isBoolean()) {
                return current.booleanValue() ? ANY : current;
            }
            JsonNode ref = current.get("$ref");
            if (ref == null) {
                return current;
            }
            String target = ref.asText();
            if (!target.startsWith("#")) {
                return null;
            }
            try {
                JsonNode found = root.at(JsonPointer.compile(target.substring(1)));
                current = found.isMissingNode() ? null : found;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean isFalse(JsonNode schema) {
        return schema != null && schema.isBoolean() && !schema.booleanValue();
    }

    static String child(String path, String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? path + "." + name : path + "['" + name.replace("'", "\\'") + "']";
    }
}
