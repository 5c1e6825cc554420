package dev.rawzone.core.write;

import dev.rawzone.core.identity.SourceIdentity;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lineage every written object carries as S3 user metadata (DESIGN.md section 3). S3 metadata must be ASCII,
 * so any other character is percent-encoded.
 */
public record Lineage(SourceIdentity identity, String dataset, String schemaId, int schemaVersion,
                      String pipelineVersion, String runId, Map<String, String> marks) {
    public static final String POSITION_FIRST = "position-first";
    public static final String POSITION_LAST = "position-last";
    public static final String RECORD_COUNT = "record-count";
    public static final String CONTENT_SHA256 = "content-sha256";

    public Lineage {
        marks = Map.copyOf(marks);
    }

    public Lineage(SourceIdentity identity, String dataset, String schemaId, int schemaVersion, String pipelineVersion,
                   String runId) {
        this(identity, dataset, schemaId, schemaVersion, pipelineVersion, runId, Map.of());
    }

    public Map<String, String> metadata(Position first, Position last, int records, String sha256) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", identity.source());
        metadata.put("source-identity", ascii(identity.metadataUri()));
        metadata.put(POSITION_FIRST, first.toString());
        metadata.put(POSITION_LAST, last.toString());
        metadata.put("dataset", ascii(dataset));
        metadata.put("schema-id", ascii(schemaId));
        metadata.put("schema-version", Integer.toString(schemaVersion));
        metadata.put(RECORD_COUNT, Integer.toString(records));
        metadata.put(CONTENT_SHA256, sha256);
        metadata.put("pipeline-version", ascii(pipelineVersion));
        metadata.put("run-id", ascii(runId));
        marks.forEach((name, value) -> metadata.put(name, ascii(value)));
        return metadata;
    }

    static String ascii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
