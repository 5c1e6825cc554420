package dev.rawzone.functions.pull;

import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointStore;

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
        return new CheckpointStore() {
            @Override
            public Checkpoint get(String key) {
                return real.get(key);
            }

            @Override
            public Checkpoint advance(Checkpoint current, Map<String, String> next) {
                if (advances.incrementAndGet() == crashAt) {
                    throw new SimulatedCrash("before checkpoint advance " + crashAt);
                }
                return real.advance(current, next);
            }
        };
    }
}
