package dev.rawzone.core.checkpoint;

/** Another writer advanced the checkpoint since it was read; the caller must re-read before going on. */
public final class CheckpointConflictException extends RuntimeException {
    public CheckpointConflictException(String key, long expectedVersion) {
        super("checkpoint " + key + " is no longer at version " + expectedVersion + ": another run advanced it");
    }
}
