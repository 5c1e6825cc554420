package dev.rawzone.core.validate;

/**
 * A dataset's schemas cannot be used: a configuration problem, never a problem of one record, so it is thrown
 * rather than reported as an {@link Validation.Invalid} record.
 */
public abstract sealed class SchemaException extends RuntimeException
        permits UnknownDatasetException, UnknownSchemaVersionException, MalformedSchemaException,
        IncompatibleSchemaException {
    private static final long serialVersionUID = 1L;

    private final String dataset;

    SchemaException(String dataset, String message, Throwable cause) {
        super(message, cause);
        this.dataset = dataset;
    }

    public String dataset() {
        return dataset;
    }
}
