package dev.rawzone.core.pipeline;

/** Whether an invocation should stop at the next place it can, to hand the rest of its unit to the next one. */
@FunctionalInterface
public interface TimeBudget {
    TimeBudget UNLIMITED = () -> false;

    boolean exhausted();
}
