package dev.rawzone.core.checkpoint;

/** A checkpoint the store cannot hold (DynamoDB's 400 KB item limit); it is not written, the old one stays. */
public final class CheckpointTooLargeException extends RuntimeException {
    public CheckpointTooLargeException(String key, long size, long limit) {
        super("checkpoint " + key + " would be " + size + " bytes, over the store's limit of " + limit
                + " bytes (DynamoDB's 400 KB item); it was not written, the stored one is unchanged");
    }
}
