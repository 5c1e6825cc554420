package dev.rawzone.core.kinesis;

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

    /** The part writer of a dataset's records valid against a schema version. */
    static String dataWriter(String dataset, int version) {
        return "data/" + dataset + "/v" + version;
    }

    /** The part writer of a dataset's quarantine. */
    static String quarantineWriter(String dataset) {
        return "quarantine/" + dataset;
    }

    /** {@code text} is what the raw zone stores: the payload's own bytes (see {@link RecordClassifier}). */
    record Accept(String dataset, DatasetSchema schema, byte[] text) implements Verdict {
        @Override
        public String writer() {
            return dataWriter(dataset, schema.version());
        }
    }

    /** {@code recordText} is the payload's own text when it was a JSON object, null when it was not. */
    record Reject(String dataset, String reason, int schemaVersion, byte[] recordText) implements Verdict {
        @Override
        public String writer() {
            return quarantineWriter(dataset);
        }
    }
}
