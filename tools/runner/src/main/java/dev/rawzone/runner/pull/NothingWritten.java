package dev.rawzone.runner.pull;

import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PutOutcome;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raw zone and checkpoint store of {@code ingest pull check}: there are none, so a check cannot write, stage or
 * commit anything even by mistake (every call fails).
 */
final class NothingWritten implements ConditionalSink, CheckpointStore {
    private static IllegalStateException refused() {
        return new IllegalStateException("pull check stages, writes and commits nothing");
    }

    @Override
    public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
        throw refused();
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        throw refused();
    }

    @Override
    public Optional<byte[]> read(String key) {
        throw refused();
    }

    @Override
    public List<String> keys(String prefix) {
        throw refused();
    }

    @Override
    public Checkpoint get(String key) {
        throw refused();
    }

    @Override
    public Checkpoint advance(Checkpoint current, Map<String, String> next) {
        throw refused();
    }
}
