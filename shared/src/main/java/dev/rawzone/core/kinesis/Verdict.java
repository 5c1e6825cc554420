package dev.rawzone.core.kinesis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.validate.DatasetSchema;

/**
 * Where one user record goes: a dataset's schema version in the raw zone, or a dataset's quarantine with the
 * reason. {@link #writer()} names the part writer, which is also the ledger's coverage key.
 */
public sealed interface Verdict permits Verdict.Accept, Verdict.Reject {
    /** No schema version: the record could not be read, routed, or its dataset has no schema. */
    int NO_VERSION = 0;

    String dataset();

    String writer();

    record Accept(String dataset, DatasetSchema schema, ObjectNode record) implements Verdict {
        @Override
        public String writer() {
            return "data/" + dataset + "/v" + schema.version();
        }
    }

    /** {@code record} is null when the payload was not a JSON object. */
    record Reject(String dataset, String reason, int schemaVersion, ObjectNode record) implements Verdict {
        @Override
        public String writer() {
            return "quarantine/" + dataset;
        }
    }
}
