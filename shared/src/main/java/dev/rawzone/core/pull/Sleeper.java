package dev.rawzone.core.pull;

import java.time.Duration;

/** Waits between attempts; a seam so a test can observe the waits. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    static Sleeper real() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
