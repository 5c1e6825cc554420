package dev.rawzone.runner.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A SAM template read from disk: its resources, parameters, conditions and {@code Globals}, unresolved. */
public final class Template {
    public static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";

    private final Path file;
    private final JsonNode document;
    private final Map<String, String> parameterOverrides;

    private Template(Path file, JsonNode document, Map<String, String> parameterOverrides) {
        this.file = file;
        this.document = document;
        this.parameterOverrides = Map.copyOf(parameterOverrides);
    }

    public static Template load(Path file) {
        return load(file, Map.of());
    }

    public static Template load(Path file, Map<String, String> parameterOverrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateException("cannot read template " + file + ": " + e.getMessage(), e);
        }
        JsonNode document = CfnYaml.parse(text);
        if (document == null || !document.isObject() || !document.path("Resources").isObject()) {
            throw new TemplateException("template " + file + " has no Resources section");
        }
        return new Template(file.toAbsolutePath().normalize(), document, parameterOverrides);
    }

    public Path file() {
        return file;
    }

    /** The folder the template lives in: CodeUri and events/ are relative to it. */
    public Path directory() {
        return file.getParent();
    }

    public boolean hasParameter(String name) {
        return document.path("Parameters").has(name);
    }

    JsonNode document() {
        return document;
    }

    Map<String, String> parameterOverrides() {
        return parameterOverrides;
    }

    public Optional<JsonNode> resource(String logicalId) {
        JsonNode resource = document.path("Resources").get(logicalId);
        return Optional.ofNullable(resource).filter(JsonNode::isObject);
    }

    public String type(String logicalId) {
        return resource(logicalId).map(r -> r.path("Type").asText("")).orElse("");
    }

    /** Logical ids of all resources, in template order. */
    public List<String> resourceIds() {
        List<String> ids = new ArrayList<>();
        document.path("Resources").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    public List<String> resourceIds(String type) {
        return resourceIds().stream().filter(id -> type(id).equals(type)).toList();
    }

    public List<String> functionIds() {
        return resourceIds(SERVERLESS_FUNCTION);
    }

    /** The resource's Properties; for a function, merged over {@code Globals.Function} as SAM does. */
    public ObjectNode properties(String logicalId) {
        JsonNode resource = resource(logicalId).orElseThrow(() -> new TemplateException("no resource " + logicalId));
        JsonNode own = resource.path("Properties");
        ObjectNode properties = own.isObject() ? ((ObjectNode) own).deepCopy() : JsonNodeFactory.instance.objectNode();
        if (type(logicalId).equals(SERVERLESS_FUNCTION)) {
            JsonNode globals = document.path("Globals").path("Function");
            if (globals.isObject()) {
                return merge((ObjectNode) globals, properties);
            }
        }
        return properties;
    }

    /** The resolver for this template, with the emulator's endpoint when there is one (queue URLs use it). */
    public Intrinsics intrinsics(URI endpoint) {
        return new Intrinsics(this, endpoint);
    }

    public FunctionSpec function(String logicalId, Intrinsics intrinsics) {
        if (!type(logicalId).equals(SERVERLESS_FUNCTION)) {
            throw new UnknownFunctionException(logicalId, functionIds());
        }
        return FunctionSpec.resolve(this, logicalId, properties(logicalId), intrinsics);
    }

    /**
     * SAM's Globals merge: maps merge key by key (the function wins), lists add up (globals first), and any other
     * value of the function replaces the global one.
     */
    static ObjectNode merge(ObjectNode globals, ObjectNode own) {
        ObjectNode merged = globals.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = own.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode base = merged.get(field.getKey());
            JsonNode value = field.getValue();
            if (base != null && base.isObject() && value.isObject() && !isIntrinsic(base) && !isIntrinsic(value)) {
                merged.set(field.getKey(), merge((ObjectNode) base, (ObjectNode) value));
            } else if (base != null && base.isArray() && value.isArray()) {
                merged.set(field.getKey(), ((ArrayNode) base).deepCopy().addAll(((ArrayNode) value).deepCopy()));
            } else {
                merged.set(field.getKey(), value.deepCopy());
            }
        }
        return merged;
    }

    static boolean isIntrinsic(JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            return false;
        }
        String key = node.fieldNames().next();
        return key.equals("Ref") || key.startsWith("Fn::");
    }
}
