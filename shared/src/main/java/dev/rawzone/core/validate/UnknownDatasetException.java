package dev.rawzone.core.validate;

/** No schema exists for the dataset (or its name cannot be a dataset's). */
public final class UnknownDatasetException extends SchemaException {
    private static final long serialVersionUID = 1L;

    public UnknownDatasetException(String dataset, String message) {
        super(dataset, message, null);
    }
}
