package dev.rawzone.core.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One version of a dataset's schema. {@code schemaId} is the schema's {@code $id} when it has one, else
 * {@code <dataset>/v<N>}. The document is shared, not copied: treat it as read-only.
 */
public record DatasetSchema(String dataset, int version, String schemaId, JsonNode document) {
    public DatasetSchema {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(schemaId, "schemaId");
        Objects.requireNonNull(document, "document");
        if (version < 1) {
            throw new IllegalArgumentException("schema versions start at 1, got " + version);
        }
    }

    /** The schema for {@code document}, its id taken from {@code $id} when present. */
    public static DatasetSchema of(String dataset, int version, JsonNode document) {
        JsonNode id = document.get("$id");
        String schemaId = id != null && id.isTextual() && !id.textValue().isBlank()
                ? id.textValue()
                : dataset + "/v" + version;
        return new DatasetSchema(dataset, version, schemaId, document);
    }

    @Override
    public String toString() {
        return "DatasetSchema[" + dataset + " v" + version + ", " + schemaId + "]";
    }
}
