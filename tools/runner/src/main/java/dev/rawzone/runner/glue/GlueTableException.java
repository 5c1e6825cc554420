package dev.rawzone.runner.glue;

/** A dataset's schema cannot be declared as a Glue table; the message names the dataset and the property. */
public final class GlueTableException extends RuntimeException {
    public GlueTableException(String message) {
        super(message);
    }
}
