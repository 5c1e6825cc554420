package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configuration a shard's records are classified with: the stream's route (none: its records are unrouted)
 * and the newest schema version of every dataset that route can lead to (0 for a dataset with no schema). A range
 * of a shard keeps the configuration its first attempt was pinned to in the ledger ({@link LedgerState#pins()}),
 * so a retry in a container that read a newer routing or schema catalogue decides every record as before.
 */
record ShardConfig(Optional<StreamRoute> route, Map<String, Integer> versions) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    ShardConfig {
        versions = Map.copyOf(new TreeMap<>(versions));
    }

    String toJson() {
        ObjectNode json = MAPPER.createObjectNode();
        route.ifPresent(r -> {
            ObjectNode entry = json.putObject("route");
            entry.put("stream", r.stream());
            r.dataset().ifPresent(dataset -> entry.put("dataset", dataset));
            r.datasetField().ifPresent(field -> entry.put("datasetField", field));
            if (!r.datasets().isEmpty()) {
                ObjectNode map = entry.putObject("datasets");
                new TreeMap<>(r.datasets()).forEach(map::put);
            }
        });
        ObjectNode versionsJson = json.putObject("versions");
        versions.forEach(versionsJson::put);
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static ShardConfig fromJson(String text) {
        try {
            JsonNode json = MAPPER.readTree(text);
            Optional<StreamRoute> route = Optional.ofNullable(json.get("route")).map(StreamRouting::route);
            Map<String, Integer> versions = new TreeMap<>();
            json.path("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asInt()));
            return new ShardConfig(route, versions);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable pinned configuration in a shard ledger: " + text, e);
        }
    }
}
