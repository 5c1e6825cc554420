package dev.rawzone.core.pull;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * How long the run may still work: the Lambda's remaining time less a reserve that covers finishing the page in
 * hand (its parts and the checkpoint write). Nothing is started that would not fit.
 */
@FunctionalInterface
public interface TimeBudget {
    Duration remaining();

    default boolean allows(Duration work) {
        return remaining().compareTo(work) > 0;
    }

    /** From the Lambda context's {@code getRemainingTimeInMillis}, less {@code reserve}. */
    static TimeBudget of(IntSupplier remainingMillis, Duration reserve) {
        return () -> Duration.ofMillis(remainingMillis.getAsInt()).minus(reserve);
    }

    static TimeBudget unlimited() {
        return () -> Duration.ofDays(1);
    }
}
