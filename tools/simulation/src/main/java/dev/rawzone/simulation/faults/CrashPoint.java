package dev.rawzone.simulation.faults;

import java.util.Locale;

/**
 * Where a process stops: before or after the {@code nth} AWS call (counted from 1 within one invocation) of one
 * operation whose S3 key (or DynamoDB table) starts with {@code target}. "After" means the call took effect and
 * its answer never reached the code: a part written, a checkpoint moved, and nobody knowing.
 */
public record CrashPoint(String operation, String target, int nth, When when) {
    public enum When { BEFORE, AFTER }

    boolean matches(String calledOperation, String calledTarget) {
        return operation.equals(calledOperation) && calledTarget != null && calledTarget.startsWith(target);
    }

    @Override
    public String toString() {
        return when.name().toLowerCase(Locale.ROOT) + " " + operation + " #" + nth + " on " + target + "*";
    }
}
