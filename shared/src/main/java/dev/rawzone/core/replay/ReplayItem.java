package dev.rawzone.core.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One unit of a replay: what one worker (a loop iteration locally, one ReplayFunction invocation in the Step
 * Functions Distributed Map) does on its own. Serialised as one JSON object of the plan listing the map's
 * ItemReader reads: {@code {"kind": ..., "key": ..., "attributes": {...}}}.
 *
 * @param kind       what the key names, for the mode that planned it: {@code part}, {@code manifest},
 *                   {@code quarantine-part}, {@code queue}...
 * @param key        the object key or queue the unit works on
 * @param attributes anything else the unit needs (a target schema version, a queue's URL), as text
 */
public record ReplayItem(String kind, String key, Map<String, String> attributes) {
    public ReplayItem {
        attributes = Map.copyOf(new TreeMap<>(attributes));
    }

    public ReplayItem(String kind, String key) {
        this(kind, key, Map.of());
    }

    public String attribute(String name) {
        String value = attributes.get(name);
        if (value == null) {
            throw new IllegalArgumentException("replay item " + kind + " " + key + " has no attribute '" + name + "'");
        }
        return value;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", kind);
        node.put("key", key);
        ObjectNode attrs = node.putObject("attributes");
        new TreeMap<>(attributes).forEach(attrs::put);
        return node;
    }

    /** @throws IllegalArgumentException when the node lacks its kind or key */
    public static ReplayItem fromJson(JsonNode node) {
        if (!node.path("kind").isTextual() || !node.path("key").isTextual()) {
            throw new IllegalArgumentException("a replay item needs \"kind\" and \"key\" strings: " + node);
        }
        Map<String, String> attributes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.path("attributes").fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            attributes.put(field.getKey(), field.getValue().asText());
        }
        return new ReplayItem(node.get("kind").asText(), node.get("key").asText(), attributes);
    }
}
