package dev.rawzone.core.replay.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.accounting.Counts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What an S3 object manifest ({@code manifests/s3/<dataset>/dt=<date>/<stem>.json}) says, as verify reads it. */
record ObjectManifest(String bucket, String key, Optional<String> versionId, Optional<String> eTag, Counts counts,
                      List<String> dataParts, List<String> quarantineParts, boolean unreadable) {

    static ObjectManifest fromJson(JsonNode json) {
        return new ObjectManifest(json.path("bucket").asText(), json.path("key").asText(),
                text(json, "version_id"), text(json, "etag"),
                Counts.fromJson(json.path("counts")),
                texts(json.path("data_parts")), texts(json.path("quarantine_parts")),
                json.path("unreadable").isObject());
    }

    private static Optional<String> text(JsonNode json, String field) {
        return json.path(field).isTextual() ? Optional.of(json.get(field).asText()) : Optional.empty();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
