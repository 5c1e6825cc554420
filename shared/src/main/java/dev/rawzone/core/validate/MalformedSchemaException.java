package dev.rawzone.core.validate;

/** A schema file is not valid JSON, not a valid JSON Schema, cannot be compiled, or the versions have a gap. */
public final class MalformedSchemaException extends SchemaException {
    private static final long serialVersionUID = 1L;

    public MalformedSchemaException(String dataset, String message) {
        super(dataset, message, null);
    }

    public MalformedSchemaException(String dataset, String message, Throwable cause) {
        super(dataset, message, cause);
    }
}
