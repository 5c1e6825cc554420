package dev.rawzone.runner.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A function as the template defines it, every intrinsic resolved. */
public record FunctionSpec(String logicalId, String functionName, String handler, Path codeUri, String runtime,
                           int timeoutSeconds, int memoryMb, Map<String, String> environment) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    public static final int DEFAULT_MEMORY_MB = 128;

    static FunctionSpec resolve(Template template, String logicalId, ObjectNode properties, Intrinsics intrinsics) {
        String handler = text(intrinsics, properties, "Handler", logicalId, null);
        if (handler == null || handler.isBlank()) {
            throw new TemplateException("function " + logicalId + " has no Handler");
        }
        JsonNode code = intrinsics.resolve(properties.path("CodeUri"));
        if (!code.isTextual()) {
            throw new TemplateException("function " + logicalId + " needs a local CodeUri (a jar or a folder), not "
                    + (code.isMissingNode() ? "nothing" : code.toString()));
        }
        Path codeUri = template.directory().resolve(code.asText()).normalize();
        String runtime = text(intrinsics, properties, "Runtime", logicalId, "java17");
        int timeout = number(intrinsics, properties, "Timeout", logicalId, DEFAULT_TIMEOUT_SECONDS);
        int memory = number(intrinsics, properties, "MemorySize", logicalId, DEFAULT_MEMORY_MB);
        String name = text(intrinsics, properties, "FunctionName", logicalId, logicalId);

        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode variables = properties.path("Environment").path("Variables");
        Iterator<Map.Entry<String, JsonNode>> fields = variables.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> variable = fields.next();
            JsonNode value = intrinsics.resolve(variable.getValue());
            if (value.isMissingNode()) {
                continue; // AWS::NoValue
            }
            if (!value.isValueNode() || value.isNull()) {
                throw new TemplateException("environment variable " + variable.getKey() + " of " + logicalId
                        + " does not resolve to a string: " + value);
            }
            environment.put(variable.getKey(), value.asText());
        }
        return new FunctionSpec(logicalId, name, handler, codeUri, runtime, timeout, memory, java.util.Collections.unmodifiableMap(environment));
    }

    private static String text(Intrinsics intrinsics, ObjectNode properties, String key, String id, String fallback) {
        JsonNode value = intrinsics.resolve(properties.path(key));
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isValueNode()) {
            throw new TemplateException(key + " of " + id + " does not resolve to a string: " + value);
        }
        return value.asText();
    }

    private static int number(Intrinsics intrinsics, ObjectNode properties, String key, String id, int fallback) {
        String text = text(intrinsics, properties, key, id, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TemplateException(key + " of " + id + " is not a whole number: " + text);
        }
    }

    /** The class part of {@code pkg.Class::method}. */
    public String handlerClass() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }
}
