package dev.rawzone.core.pull;

import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Randomness seeded at each draw (from {@link System#nanoTime()}), not once at init: copies of one SnapStart snapshot
 * then spread their retries instead of repeating one another's jitter, as a generator built at init would.
 */
public final class DrawTimeRandom implements RandomGenerator {
    @Override
    public long nextLong() {
        return new Random().nextLong();
    }
}
