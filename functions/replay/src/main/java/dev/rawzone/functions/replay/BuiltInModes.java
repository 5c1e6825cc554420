package dev.rawzone.functions.replay;

import dev.rawzone.core.pull.TimeBudget;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplayUnits;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The modes this build of the function has, each built from the wiring. A mode is added here, in {@link #MODES},
 * with the constructor of its {@code ReplayUnits}; an event asking for one that is not here fails with the list of
 * those that are.
 */
final class BuiltInModes implements ReplayModes {
    private static final Map<ReplayMode, ReplayModes> MODES = new EnumMap<>(ReplayMode.class);

    @Override
    public ReplayUnits units(ReplayMode mode, ReplayWiring wiring, TimeBudget budget) {
        ReplayModes factory = MODES.get(mode);
        if (factory == null) {
            throw new IllegalStateException("this build of ReplayFunction has no " + mode.label() + " mode (it has: "
                    + (MODES.isEmpty() ? "none" : MODES.keySet().stream().map(ReplayMode::label)
                    .collect(Collectors.joining(", "))) + ")");
        }
        return factory.units(mode, wiring, budget);
    }
}
