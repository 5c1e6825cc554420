package dev.rawzone.core.replay.verify;

import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.InMemorySink;
import dev.rawzone.core.write.PutOutcome;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raw zone as a verify re-read sees it: an object's stored decision read from the real bucket (so the re-read
 * keeps to the dataset, format and schema version the ingestion chose), everything else written to and read from
 * memory, so the re-read writes nothing and finds none of its own earlier output. A whole-object copy in quarantine
 * is reported as there: the ingester then copies nothing (a server-side copy would bypass this sink).
 */
final class DecisionReadingSink implements ConditionalSink {
    private static final String DECISIONS = "manifests/s3/decisions/";

    private final ConditionalSink stored;
    private final InMemorySink memory = new InMemorySink();

    DecisionReadingSink(ConditionalSink stored) {
        this.stored = stored;
    }

    @Override
    public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
        return memory.putIfAbsent(key, body, metadata);
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        if (StoredParts.isObjectCopy(key)) {
            return Optional.of(stored.metadata(key).orElse(Map.of()));
        }
        return memory.metadata(key);
    }

    @Override
    public Optional<byte[]> read(String key) {
        return key.startsWith(DECISIONS) ? stored.read(key) : memory.read(key);
    }

    @Override
    public List<String> keys(String prefix) {
        return memory.keys(prefix);
    }

    /** What the re-read wrote, by key. */
    Map<String, InMemorySink.Stored> written() {
        return memory.objects();
    }
}
