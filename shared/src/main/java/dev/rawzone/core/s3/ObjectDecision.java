package dev.rawzone.core.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.read.SourceFormat;

import java.util.Optional;

/**
 * What the first attempt at an object version decided from the configuration of its day: the dataset it is routed
 * to, how it is read, and the newest schema version of that dataset. Every later attempt at the same version reads
 * it back and decides the same, whatever routing or schemas were published in between and whichever container
 * runs it; a change applies to objects not yet started. {@code unusable} is why the object cannot be read as
 * records at all (no route, unknown format or dataset): it is then quarantined whole.
 */
record ObjectDecision(String dataset, Optional<SourceFormat> format, int schemaVersion, Optional<String> unusable) {

    static ObjectDecision usable(String dataset, SourceFormat format, int schemaVersion) {
        return new ObjectDecision(dataset, Optional.of(format), schemaVersion, Optional.empty());
    }

    static ObjectDecision unusable(String dataset, String why) {
        return new ObjectDecision(dataset, Optional.empty(), 0, Optional.of(why));
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("dataset", dataset);
        format.ifPresent(f -> json.put("format", f.name()));
        if (schemaVersion > 0) {
            json.put("schema_version", schemaVersion);
        }
        unusable.ifPresent(why -> json.put("unusable", why));
        return json;
    }

    static ObjectDecision fromJson(JsonNode json) {
        return new ObjectDecision(json.get("dataset").asText(),
                Optional.ofNullable(json.get("format")).map(f -> SourceFormat.valueOf(f.asText())),
                json.path("schema_version").asInt(0),
                Optional.ofNullable(json.get("unusable")).map(JsonNode::asText));
    }
}
