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
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps each object version's {@link ObjectDecision} at {@code manifests/s3/decisions/<stem>.json}, written once
 * (conditionally) before anything of the object is written. Two attempts racing to decide both end with the one
 * that was stored first.
 */
final class ObjectDecisions {
    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    ObjectDecisions(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    /** The decision stored for the object, or {@code fresh}'s, stored now; a lost race returns the winner's. */
    ObjectDecision decide(SourceIdentity identity, Supplier<ObjectDecision> fresh, RunContext run) {
        String key = key(identity);
        Optional<ObjectDecision> stored = read(key);
        if (stored.isPresent()) {
            return stored.get();
        }
        ObjectDecision decision = fresh.get();
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(decision.toJson(mapper));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        Map<String, String> metadata = new LinkedHashMap<>(run.marks());
        metadata.put("source", "s3");
        metadata.put("source-identity", identity.metadataUri());
        if (raw.putIfAbsent(key, body, metadata) == PutOutcome.CREATED) {
            return decision;
        }
        return read(key).orElseThrow(() -> new IllegalStateException("decision " + key + " is taken but unreadable"));
    }

    /** The decision stored for the object, if any attempt got as far as deciding. */
    Optional<ObjectDecision> stored(SourceIdentity identity) {
        return read(key(identity));
    }

    static String key(SourceIdentity identity) {
        return RawZoneLayout.decision("s3", identity.stem() + ".json");
    }

    private Optional<ObjectDecision> read(String key) {
        return raw.read(key).map(bytes -> {
            try {
                return ObjectDecision.fromJson(mapper.readTree(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable decision " + key, e);
            }
        });
    }
}
