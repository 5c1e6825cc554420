package dev.rawzone.functions.pull;

import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.ForwardingSink;
import dev.rawzone.core.write.PutOutcome;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A process that dies at a chosen step: nothing in the handler catches an Error. */
final class Crashes {
    private Crashes() {
    }

    static final class SimulatedCrash extends Error {
        SimulatedCrash(String where) {
            super("simulated crash " + where);
        }
    }

    /** The real store, but the process dies just before its {@code crashAt}-th advance. */
    static CheckpointStore crashOnAdvance(CheckpointStore real, AtomicInteger advances, int crashAt) {
        return beforeAdvance(real, () -> {
            if (advances.incrementAndGet() == crashAt) {
                throw new SimulatedCrash("before checkpoint advance " + crashAt);
            }
        });
    }

    /** The real store, but {@code before} runs before each advance (and may throw instead). */
    static CheckpointStore beforeAdvance(CheckpointStore real, Runnable before) {
        return new CheckpointStore() {
            @Override
            public Checkpoint get(String key) {
                return real.get(key);
            }

            @Override
            public Checkpoint advance(Checkpoint current, Map<String, String> next) {
                before.run();
                return real.advance(current, next);
            }
        };
    }

    /** The real sink, but the process dies just after its {@code crashAt}-th write of a key under {@code prefix}. */
    static ConditionalSink crashAfterPut(ConditionalSink real, String prefix, AtomicInteger puts, int crashAt) {
        return new ForwardingSink(real) {
            @Override
            public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
                PutOutcome outcome = super.putIfAbsent(key, body, metadata);
                if (key.startsWith(prefix) && puts.incrementAndGet() == crashAt) {
                    throw new SimulatedCrash("after writing " + key);
                }
                return outcome;
            }
        };
    }
}
