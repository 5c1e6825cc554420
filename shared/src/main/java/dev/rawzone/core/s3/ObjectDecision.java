package dev.rawzone.core.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.read.SourceFormat;
import dev.rawzone.core.write.PartPolicy;

import java.util.Optional;

/**
 * What the first attempt at an object version decided from the configuration of its day: the dataset it is routed
 * to, how it is read, the newest schema version of that dataset, and the gzip level of its parts (so a retry
 * writes the bytes, and the {@code content-sha256}, the first attempt would have). Every later attempt at the same version reads
 * it back and decides the same, whatever routing or schemas were published in between and whichever container
 * runs it; a change applies to objects not yet started. {@code unusable} is why the object cannot be read as
 * records at all (no route, unknown format or dataset): it is then quarantined whole.
 *
 * @param segment where parts end and an invocation may stop: after this many lines or decompressed bytes read.
 *                Kept with the decision so that every attempt cuts the object in the same places; empty in a
 *                decision stored before segments existed (the configured part policy applies then)
 */
record ObjectDecision(String dataset, Optional<SourceFormat> format, int schemaVersion, int gzipLevel,
                      Optional<String> unusable, Optional<PartPolicy> segment) {
    /** Decisions stored before the level was one were made by a pipeline that always used gzip level 6. */
    static final int GZIP_LEVEL_BEFORE_IT_WAS_DECIDED = 6;

    /** {@code policy} gives both the segment and the gzip level of the object's parts. */
    static ObjectDecision usable(String dataset, SourceFormat format, int schemaVersion, PartPolicy policy) {
        return new ObjectDecision(dataset, Optional.of(format), schemaVersion, policy.gzipLevel(), Optional.empty(),
                Optional.of(policy));
    }

    static ObjectDecision unusable(String dataset, String why) {
        return new ObjectDecision(dataset, Optional.empty(), 0, 0, Optional.of(why), Optional.empty());
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("dataset", dataset);
        format.ifPresent(f -> json.put("format", f.name()));
        if (schemaVersion > 0) {
            json.put("schema_version", schemaVersion);
        }
        if (gzipLevel > 0) {
            json.put("gzip_level", gzipLevel);
        }
        unusable.ifPresent(why -> json.put("unusable", why));
        segment.ifPresent(s -> json.putObject("segment").put("lines", s.maxRecords()).put("bytes", s.maxBytes()));
        return json;
    }

    static ObjectDecision fromJson(JsonNode json) {
        return new ObjectDecision(json.get("dataset").asText(),
                Optional.ofNullable(json.get("format")).map(f -> SourceFormat.valueOf(f.asText())),
                json.path("schema_version").asInt(0),
                json.has("unusable") ? 0 : json.path("gzip_level").asInt(GZIP_LEVEL_BEFORE_IT_WAS_DECIDED),
                Optional.ofNullable(json.get("unusable")).map(JsonNode::asText),
                Optional.ofNullable(json.get("segment"))
                        .map(s -> new PartPolicy(s.path("lines").asInt(), s.path("bytes").asLong())));
    }
}
