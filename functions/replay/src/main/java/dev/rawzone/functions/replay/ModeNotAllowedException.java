package dev.rawzone.functions.replay;

import dev.rawzone.core.replay.ReplayMode;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * A replay event whose mode this function does not run (its REPLAY_MODES): verify runs in ReplayVerifyFunction, whose
 * role only reads, and redrive and rebuild in ReplayFunction.
 */
public final class ModeNotAllowedException extends RuntimeException {
    ModeNotAllowedException(ReplayMode mode, Set<ReplayMode> allowed) {
        super("this function does not run replay " + mode.label() + ": it runs " + allowed.stream().sorted()
                .map(ReplayMode::label).collect(Collectors.joining(", ")) + " (REPLAY_MODES); "
                + (mode == ReplayMode.VERIFY ? "verify runs in ReplayVerifyFunction" : mode.label()
                + " runs in ReplayFunction"));
    }
}
