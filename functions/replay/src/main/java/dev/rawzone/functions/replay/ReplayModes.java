package dev.rawzone.functions.replay;

import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayUnits;

/**
 * Builds a mode's units for one invocation from the function's wiring: the seam between this handler and the modes
 * in {@code dev.rawzone.core.replay.*}. The budget is the invocation's (a redrive stops taking messages when it runs
 * out).
 */
@FunctionalInterface
public interface ReplayModes {
    ReplayUnits units(ReplayMode mode, ReplayWiring wiring, TimeBudget budget);
}
