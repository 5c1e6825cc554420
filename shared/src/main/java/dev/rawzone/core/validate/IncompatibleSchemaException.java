package dev.rawzone.core.validate;

import java.util.List;

/** Schema v{@code version} of a dataset is not backward compatible with v{@code version - 1}. */
public final class IncompatibleSchemaException extends SchemaException {
    private static final long serialVersionUID = 1L;

    private final int version;
    private final List<String> problems;

    public IncompatibleSchemaException(String dataset, int version, List<String> problems) {
        super(dataset, "dataset " + dataset + ": schema v" + version + " is not backward compatible with v"
                + (version - 1) + ": " + String.join("; ", problems), null);
        this.version = version;
        this.problems = List.copyOf(problems);
    }

    public int version() {
        return version;
    }

    public List<String> problems() {
        return problems;
    }
}
