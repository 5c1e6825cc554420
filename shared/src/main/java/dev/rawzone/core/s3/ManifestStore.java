package dev.rawzone.core.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.write.ConditionalSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One manifest per finished object version under {@code manifests/}: written last, it marks the version done,
 * so a repeated notification costs one read instead of a re-read of the object.
 */
final class ManifestStore {
    /** What an earlier run that finished the object version recorded. */
    record Manifest(Counts counts, Optional<UnreadableRemainder> unreadable) {
    }

    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    ManifestStore(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    Optional<Manifest> read(String manifestKey) {
        return raw.read(manifestKey).map(this::parse).map(manifest -> new Manifest(
                Counts.fromJson(manifest.path("counts")), UnreadableRemainder.fromJson(manifest.path("unreadable"))));
    }

    /**
     * The manifest of the whole object: the last invocation's report joined to what the invocations before it
     * recorded in {@code earlier} ({@link ObjectProgress#NONE} when one invocation read it all).
     */
    void write(String manifestKey, ObjectReport report, ObjectProgress earlier, RunContext run) {
        Counts counts = earlier.counts().plus(report.stored());
        ObjectNode manifest = mapper.createObjectNode();
        ObjectNotice notice = report.notice();
        manifest.put("source", notice.identity().uri());
        manifest.put("bucket", notice.bucket());
        manifest.put("key", notice.key());
        notice.versionId().ifPresent(v -> manifest.put("version_id", v));
        notice.eTag().ifPresent(e -> manifest.put("etag", e));
        manifest.put("outcome", report.outcome().name());
        report.reason().ifPresent(r -> manifest.put("reason", r));
        manifest.set("counts", mapper.valueToTree(counts.asMap()));
        manifest.put("invocations", earlier.invocations() + 1);
        report.unreadable().ifPresent(unreadable -> manifest.set("unreadable", unreadable.toJson(mapper)));
        manifest.set("data_parts", mapper.valueToTree(ObjectProgress.joined(earlier.dataKeys(), report.dataKeys())));
        manifest.set("quarantine_parts", mapper.valueToTree(ObjectProgress.joined(earlier.quarantineKeys(), report.quarantineKeys())));
        manifest.put("pipeline_version", run.pipelineVersion());
        manifest.put("run_id", run.runId());
        try {
            Map<String, String> metadata = new LinkedHashMap<>(run.marks());
            metadata.put("source", "s3");
            metadata.put("record-count", Long.toString(counts.in()));
            raw.putIfAbsent(manifestKey, mapper.writeValueAsBytes(manifest), metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private JsonNode parse(byte[] bytes) {
        try {
            return mapper.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable manifest", e);
        }
    }
}
