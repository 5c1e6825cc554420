package dev.rawzone.core.write;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A sink that passes every call on to another: tests override the calls they fail, crash or count. */
public class ForwardingSink implements ConditionalSink {
    private final ConditionalSink delegate;

    public ForwardingSink(ConditionalSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
        return delegate.putIfAbsent(key, body, metadata);
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        return delegate.metadata(key);
    }

    @Override
    public Optional<byte[]> read(String key) {
        return delegate.read(key);
    }

    @Override
    public List<String> keys(String prefix) {
        return delegate.keys(prefix);
    }
}
