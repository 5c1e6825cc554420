package dev.rawzone.runner.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions against a local stack: parameters take their defaults (or overrides),
 * pseudo parameters are fixed ({@link #ACCOUNT_ID}, {@link #REGION}, {@link #STACK_NAME}), conditions are evaluated
 * from those, and resources resolve to the names and ARNs they get in the emulator ({@link ResourceNames}).
 * {@code AWS::NoValue} resolves to a missing node, which drops the key or list element that held it.
 */
public final class Intrinsics {
    public static final String ACCOUNT_ID = "123456789012";
    public static final String REGION = "us-east-1";
    public static final String STACK_NAME = "rawzone-local";
    public static final String PARTITION = "aws";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Template template;
    private final URI endpoint;
    private final ResourceNames names;
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();

    Intrinsics(Template template, URI endpoint) {
        this.template = template;
        this.endpoint = endpoint;
        this.names = new ResourceNames(template, this);
    }

    public ResourceNames names() {
        return names;
    }

    /** The emulator's endpoint, or null when none is known (a dry run). */
    public URI endpoint() {
        return endpoint;
    }

    public JsonNode resolve(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return MissingNode.getInstance();
        }
        if (node.isObject()) {
            if (Template.isIntrinsic(node)) {
                String function = node.fieldNames().next();
                return apply(function, node.get(function));
            }
            ObjectNode resolved = NODES.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = resolve(field.getValue());
                if (!value.isMissingNode()) {
                    resolved.set(field.getKey(), value);
                }
            }
            return resolved;
        }
        if (node.isArray()) {
            ArrayNode resolved = NODES.arrayNode();
            for (JsonNode element : node) {
                JsonNode value = resolve(element);
                if (!value.isMissingNode()) {
                    resolved.add(value);
                }
            }
            return resolved;
        }
        return node;
    }

    /** A resolved value as a string, for names and environment variables. */
    public String text(JsonNode node, String what) {
        JsonNode value = resolve(node);
        if (!value.isValueNode() || value.isNull()) {
            throw new TemplateException(what + " does not resolve to a string: " + value);
        }
        return value.asText();
    }

    public JsonNode ref(String name) {
        switch (name) {
            case "AWS::AccountId": return TextNode.valueOf(ACCOUNT_ID);
            case "AWS::Region": return TextNode.valueOf(REGION);
            case "AWS::StackName": return TextNode.valueOf(STACK_NAME);
            case "AWS::StackId":
                return TextNode.valueOf("arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/" + STACK_NAME
                        + "/00000000-0000-0000-0000-000000000000");
            case "AWS::Partition": return TextNode.valueOf(PARTITION);
            case "AWS::URLSuffix": return TextNode.valueOf("amazonaws.com");
            case "AWS::NotificationARNs": return NODES.arrayNode();
            case "AWS::NoValue": return MissingNode.getInstance();
            default: break;
        }
        JsonNode parameter = template.document().path("Parameters").get(name);
        if (parameter != null) {
            return parameter(name, parameter);
        }
        return TextNode.valueOf(names.ref(name));
    }

    public boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        JsonNode expression = template.document().path("Conditions").get(name);
        if (expression == null) {
            throw new TemplateException("unknown condition " + name);
        }
        if (!evaluating.add(name)) {
            throw new TemplateException("condition " + name + " refers to itself");
        }
        boolean value = evaluate(expression);
        evaluating.remove(name);
        conditions.put(name, value);
        return value;
    }

    /** True unless the resource carries a {@code Condition} that is false. */
    public boolean exists(String logicalId) {
        JsonNode condition = template.resource(logicalId).map(r -> r.get("Condition")).orElse(null);
        return condition == null || condition(condition.asText());
    }

    private JsonNode parameter(String name, JsonNode declaration) {
        String value = template.parameterOverrides().get(name);
        if (value == null) {
            JsonNode fallback = declaration.get("Default");
            if (fallback == null) {
                throw new TemplateException("parameter " + name + " has no Default; pass --parameter-overrides "
                        + name + "=...");
            }
            if (fallback.isArray()) {
                return fallback;
            }
            value = fallback.asText();
        }
        String type = declaration.path("Type").asText("String");
        if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
            ArrayNode list = NODES.arrayNode();
            for (String item : value.split(",", -1)) {
                list.add(item.trim());
            }
            return list;
        }
        return TextNode.valueOf(value);
    }

    private boolean evaluate(JsonNode expression) {
        if (expression.isObject() && expression.size() == 1) {
            String function = expression.fieldNames().next();
            JsonNode args = expression.get(function);
            switch (function) {
                case "Condition":
                    return condition(args.asText());
                case "Fn::Equals": {
                    List<JsonNode> pair = arguments(function, args, 2);
                    JsonNode left = resolve(pair.get(0));
                    JsonNode right = resolve(pair.get(1));
                    return left.isValueNode() && right.isValueNode() ? left.asText().equals(right.asText())
                            : left.equals(right);
                }
                case "Fn::Not":
                    return !evaluate(arguments(function, args, 1).get(0));
                case "Fn::And": {
                    for (JsonNode item : args) {
                        if (!evaluate(item)) {
                            return false;
                        }
                    }
                    return true;
                }
                case "Fn::Or": {
                    for (JsonNode item : args) {
                        if (evaluate(item)) {
                            return true;
                        }
                    }
                    return false;
                }
                default:
                    break;
            }
        }
        JsonNode value = resolve(expression);
        if (value.isBoolean() || value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
            return value.asText().equals("true");
        }
        throw new TemplateException("not a condition: " + expression);
    }

    private JsonNode apply(String function, JsonNode args) {
        switch (function) {
            case "Ref":
                return ref(args.asText());
            case "Fn::Sub":
                return sub(args);
            case "Fn::GetAtt": {
                List<String> parts = new ArrayList<>();
                if (args.isArray()) {
                    for (JsonNode part : args) {
                        parts.add(text(part, "an argument of Fn::GetAtt"));
                    }
                } else {
                    String dotted = text(args, "Fn::GetAtt");
                    int dot = dotted.indexOf('.');
                    parts.add(dot < 0 ? dotted : dotted.substring(0, dot));
                    parts.add(dot < 0 ? "" : dotted.substring(dot + 1));
                }
                if (parts.size() < 2) {
                    throw new TemplateException("Fn::GetAtt needs a resource and an attribute: " + args);
                }
                return TextNode.valueOf(names.getAtt(parts.get(0), String.join(".", parts.subList(1, parts.size()))));
            }
            case "Fn::If": {
                List<JsonNode> branches = arguments(function, args, 3);
                return resolve(condition(branches.get(0).asText()) ? branches.get(1) : branches.get(2));
            }
            case "Fn::Join": {
                List<JsonNode> pair = arguments(function, args, 2);
                String delimiter = pair.get(0).asText();
                List<String> items = new ArrayList<>();
                for (JsonNode item : list(pair.get(1), function)) {
                    items.add(item.asText());
                }
                return TextNode.valueOf(String.join(delimiter, items));
            }
            case "Fn::Select": {
                List<JsonNode> pair = arguments(function, args, 2);
                int index = Integer.parseInt(text(pair.get(0), "the index of Fn::Select").trim());
                JsonNode items = list(pair.get(1), function);
                if (index < 0 || index >= items.size()) {
                    throw new TemplateException("Fn::Select index " + index + " is out of range for " + items);
                }
                return items.get(index);
            }
            case "Fn::Split": {
                List<JsonNode> pair = arguments(function, args, 2);
                ArrayNode parts = NODES.arrayNode();
                for (String part : text(pair.get(1), "Fn::Split").split(Pattern.quote(pair.get(0).asText()), -1)) {
                    parts.add(part);
                }
                return parts;
            }
            case "Fn::FindInMap": {
                List<JsonNode> keys = arguments(function, args, 3);
                JsonNode value = template.document().path("Mappings").path(text(keys.get(0), "map name"))
                        .path(text(keys.get(1), "top-level key")).path(text(keys.get(2), "second-level key"));
                if (value.isMissingNode()) {
                    throw new TemplateException("Fn::FindInMap finds nothing for " + args);
                }
                return value;
            }
            case "Fn::Base64":
                return TextNode.valueOf(Base64.getEncoder().encodeToString(
                        text(args, "Fn::Base64").getBytes(StandardCharsets.UTF_8)));
            case "Fn::GetAZs": {
                ArrayNode zones = NODES.arrayNode();
                for (String zone : List.of("a", "b", "c")) {
                    zones.add(REGION + zone);
                }
                return zones;
            }
            case "Fn::Length":
                return NODES.numberNode(list(args, function).size());
            case "Fn::ToJsonString":
                return TextNode.valueOf(resolve(args).toString());
            default:
                throw new TemplateException(function + " is not supported by the local runner");
        }
    }

    private JsonNode sub(JsonNode args) {
        String text;
        Map<String, String> variables = new HashMap<>();
        if (args.isArray()) {
            List<JsonNode> pair = arguments("Fn::Sub", args, 2);
            text = pair.get(0).asText();
            Iterator<Map.Entry<String, JsonNode>> fields = pair.get(1).fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                variables.put(field.getKey(), text(field.getValue(), "Fn::Sub variable " + field.getKey()));
            }
        } else {
            text = args.asText();
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1).trim();
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                replacement = variables.get(name);
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                int dot = name.indexOf('.');
                replacement = names.getAtt(name.substring(0, dot), name.substring(dot + 1));
            } else {
                JsonNode value = ref(name);
                if (!value.isValueNode()) {
                    throw new TemplateException("${" + name + "} in Fn::Sub is not a string: " + value);
                }
                replacement = value.asText();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    private JsonNode list(JsonNode node, String function) {
        JsonNode value = resolve(node);
        if (!value.isArray()) {
            throw new TemplateException(function + " needs a list, not " + value);
        }
        return value;
    }

    private static List<JsonNode> arguments(String function, JsonNode args, int count) {
        if (!args.isArray() || args.size() != count) {
            throw new TemplateException(function + " takes " + count + " arguments: " + args);
        }
        List<JsonNode> list = new ArrayList<>();
        args.forEach(list::add);
        return list;
    }
}
