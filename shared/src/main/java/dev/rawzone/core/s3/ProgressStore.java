package dev.rawzone.core.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.identity.RawZoneLayout;
import dev.rawzone.core.identity.SourceIdentity;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PutOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each invocation that stopped before an object's end got to, one write-once file per stop at
 * {@code manifests/s3/progress/<stem>/<lines>.json}. Stops fall on segment ends, which are the same in every
 * attempt, so two attempts stopping at one place write the same file (the second finds it taken), and the
 * furthest file is where any later attempt, continuation or re-delivered event alike, goes on from.
 */
final class ProgressStore {
    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    ProgressStore(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    /** The furthest stop recorded for the object version, or {@link ObjectProgress#NONE}. */
    ObjectProgress furthest(SourceIdentity identity) {
        List<String> stops = raw.keys(RawZoneLayout.progressPrefix("s3", identity.stem()));
        if (stops.isEmpty()) {
            return ObjectProgress.NONE;
        }
        String key = stops.get(stops.size() - 1);
        Optional<byte[]> body = raw.read(key);
        if (body.isEmpty()) {
            throw new IllegalStateException("progress " + key + " was listed but cannot be read");
        }
        try {
            return ObjectProgress.fromJson(mapper.readTree(body.get()));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable progress " + key, e);
        }
    }

    /** Records a stop once the parts it covers are published; false if another attempt recorded it first. */
    boolean record(SourceIdentity identity, ObjectProgress progress, RunContext run) {
        String key = RawZoneLayout.progress("s3", identity.stem(), progress.read().lines());
        Map<String, String> metadata = new LinkedHashMap<>(run.marks());
        metadata.put("source", "s3");
        metadata.put("source-identity", identity.metadataUri());
        try {
            return raw.putIfAbsent(key, mapper.writeValueAsBytes(progress.toJson(mapper)), metadata) == PutOutcome.CREATED;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
