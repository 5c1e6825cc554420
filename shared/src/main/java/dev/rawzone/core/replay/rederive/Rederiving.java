package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.ConditionalSink;

/** What re-deriving a stored part into a generation works with: the raw bucket, the schemas, and their helpers. */
public record Rederiving(ConditionalSink raw, SchemaCatalogue catalogue, ObjectMapper mapper,
                         Revalidation revalidation, DerivedParts derived, ReleaseMarkers releases) {

    public static Rederiving of(ConditionalSink raw, SchemaCatalogue catalogue, ObjectMapper mapper) {
        DerivedParts derived = new DerivedParts(raw, mapper);
        return new Rederiving(raw, catalogue, mapper, new Revalidation(new RecordValidator(catalogue), mapper), derived,
                new ReleaseMarkers(raw, derived));
    }
}
