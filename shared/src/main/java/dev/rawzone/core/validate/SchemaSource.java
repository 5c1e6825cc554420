package dev.rawzone.core.validate;

import java.util.List;
import java.util.Optional;

/** Where a dataset's schema files live: one JSON Schema per version, at {@code <location>/<dataset>/v<N>.json}. */
public interface SchemaSource {
    /** The text of {@code v<version>.json} for {@code dataset}, or empty when there is none. */
    Optional<String> read(String dataset, int version);

    /** The versions that exist for {@code dataset}, ascending; empty when the dataset has no schema. */
    List<Integer> versions(String dataset);
}
