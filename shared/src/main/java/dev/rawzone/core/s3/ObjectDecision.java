package dev.rawzone.core.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.read.SourceFormat;
import dev.rawzone.core.write.PartPolicy;

import java.time.LocalDate;
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
 * @param date    the {@code dt=} of the object's parts and manifest (from its Last-Modified when decided), so that
 *                they can be found once the object is gone or overwritten; empty in a decision stored before it
 *                was kept
 */
record ObjectDecision(String dataset, Optional<SourceFormat> format, int schemaVersion, int gzipLevel,
                      Optional<String> unusable, Optional<PartPolicy> segment, Optional<LocalDate> date) {
    /** Decisions stored before the level was one were made by a pipeline that always used gzip level 6. */
    static final int GZIP_LEVEL_BEFORE_IT_WAS_DECIDED = 6;

    /** {@code policy} gives both the segment and the gzip level of the object's parts. */
    static ObjectDecision usable(String dataset, SourceFormat format, int schemaVersion, PartPolicy policy,
                                 LocalDate date) {
        return new ObjectDecision(dataset, Optional.of(format), schemaVersion, policy.gzipLevel(), Optional.empty(),
                Optional.of(policy), Optional.of(date));
    }

    static ObjectDecision unusable(String dataset, String why, LocalDate date) {
        return new ObjectDecision(dataset, Optional.empty(), 0, 0, Optional.of(why), Optional.empty(),
                Optional.of(date));
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
        date.ifPresent(d -> json.put("date", d.toString()));
        return json;
    }

    static ObjectDecision fromJson(JsonNode json) {
        return new ObjectDecision(json.get("dataset").asText(),
                Optional.ofNullable(json.get("format")).map(f -> SourceFormat.valueOf(f.asText())),
                json.path("schema_version").asInt(0),
                json.has("unusable") ? 0 : json.path("gzip_level").asInt(GZIP_LEVEL_BEFORE_IT_WAS_DECIDED),
                Optional.ofNullable(json.get("unusable")).map(JsonNode::asText),
                Optional.ofNullable(json.get("segment"))
                        .map(s -> new PartPolicy(s.path("lines").asInt(), s.path("bytes").asLong())),
                Optional.ofNullable(json.get("date")).map(d -> LocalDate.parse(d.asText())));
    }
}
