package dev.rawzone.core.validate;

import java.util.Objects;

/** The outcome of validating one record. */
public sealed interface Validation permits Validation.Valid, Validation.Invalid {
    /** {@link Invalid#version()} when the record's declared version could not even be read. */
    int NO_VERSION = 0;

    String dataset();

    int version();

    default boolean isValid() {
        return this instanceof Valid;
    }

    /** The record conforms to {@code schema}. */
    record Valid(DatasetSchema schema) implements Validation {
        public Valid {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public String dataset() {
            return schema.dataset();
        }

        @Override
        public int version() {
            return schema.version();
        }
    }

    /**
     * The record does not conform; {@code reason} is a short readable join of the violations (at most
     * {@link RecordValidator#MAX_REASON_LENGTH} characters). {@code version} is the version it was judged against,
     * or {@link #NO_VERSION} when its {@code schema_version} was malformed.
     */
    record Invalid(String dataset, int version, String reason) implements Validation {
        public Invalid {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
