package dev.rawzone.runner.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.deploy.SamTranslator;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * template.yaml as CloudFormation will see it: transformed by the SAM translator (its policy templates, event
 * invoke configs and roles expanded), then with the conditions decided for one set of parameters: each
 * {@code Fn::If} replaced by its branch, {@code AWS::NoValue} and resources whose condition is false left out.
 * Other intrinsics ({@code Ref}, {@code Fn::Sub}...) stay as they are.
 */
final class TransformedTemplate {
    private final JsonNode template;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, Boolean> conditions = new HashMap<>();

    private TransformedTemplate(JsonNode transformed, Map<String, String> overrides) {
        transformed.path("Parameters").fields().forEachRemaining(p -> parameters.put(p.getKey(),
                p.getValue().path("Default").asText()));
        parameters.putAll(overrides);
        transformed.path("Conditions").fieldNames().forEachRemaining(name -> condition(transformed, name));
        this.template = decide(transformed);
    }

    /**
     * Runs the runner's own SAM translator, each local {@code CodeUri} as {@code s3://code/<path>} (as a packaging
     * step would make it, so {@code Code.S3Key} still names the jar).
     */
    static JsonNode transform(Path templateYaml) {
        SamTranslator translator = new SamTranslator(System.getenv());
        Map<String, String> uploaded = new HashMap<>();
        translator.codeUris(templateYaml).keySet().forEach(uri -> uploaded.put(uri, "s3://code/" + uri));
        return translator.transform(templateYaml, uploaded, Map.of());
    }

    static TransformedTemplate decided(JsonNode transformed, Map<String, String> parameters) {
        return new TransformedTemplate(transformed, parameters);
    }

    JsonNode resources() {
        return template.path("Resources");
    }

    JsonNode resource(String id) {
        return template.path("Resources").path(id);
    }

    private boolean condition(JsonNode transformed, String name) {
        Boolean known = conditions.get(name);
        if (known == null) {
            known = truth(transformed, transformed.path("Conditions").path(name));
            conditions.put(name, known);
        }
        return known;
    }

    private boolean truth(JsonNode transformed, JsonNode node) {
        if (node.has("Condition")) {
            return condition(transformed, node.get("Condition").asText());
        }
        String function = node.fieldNames().next();
        JsonNode args = node.get(function);
        return switch (function) {
            case "Fn::Equals" -> value(args.get(0)).equals(value(args.get(1)));
            case "Fn::Not" -> !truth(transformed, args.get(0));
            case "Fn::And" -> stream(args).allMatch(a -> truth(transformed, a));
            case "Fn::Or" -> stream(args).anyMatch(a -> truth(transformed, a));
            default -> throw new IllegalArgumentException("condition function " + function);
        };
    }

    /** The values conditions compare: literals, parameters and pieces of them. */
    private String value(JsonNode node) {
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            return parameters.get(node.get("Ref").asText());
        }
        if (node.has("Fn::Select")) {
            int index = node.get("Fn::Select").get(0).asInt();
            JsonNode list = node.get("Fn::Select").get(1);
            JsonNode split = list.get("Fn::Split");
            String[] parts = value(split.get(1)).split(java.util.regex.Pattern.quote(split.get(0).asText()), -1);
            return parts[index];
        }
        throw new IllegalArgumentException("condition value " + node);
    }

    private JsonNode decide(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> {
                JsonNode decided = decide(item);
                if (!isNoValue(decided)) {
                    out.add(decided);
                }
            });
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1 && node.has("Fn::If")) {
            JsonNode args = node.get("Fn::If");
            return decide(conditions.get(args.get(0).asText()) ? args.get(1) : args.get(2));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().has("Condition") && field.getValue().has("Type")
                    && !conditions.get(field.getValue().get("Condition").asText())) {
                continue; // a resource (or output) its condition leaves out
            }
            JsonNode decided = decide(field.getValue());
            if (!isNoValue(decided)) {
                out.set(field.getKey(), decided);
            }
        }
        return out;
    }

    private static boolean isNoValue(JsonNode node) {
        return node.isObject() && node.size() == 1 && "AWS::NoValue".equals(node.path("Ref").asText(null));
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
