package dev.rawzone.core.validate;

/** The dataset exists but has no such schema version. */
public final class UnknownSchemaVersionException extends SchemaException {
    private static final long serialVersionUID = 1L;

    private final int version;

    public UnknownSchemaVersionException(String dataset, int version, int current) {
        super(dataset, "dataset " + dataset + " has no schema v" + version + " (known: v1..v" + current + ")", null);
        this.version = version;
    }

    public int version() {
        return version;
    }
}
