package dev.rawzone.core.pipeline;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.write.PublishedPart;

import java.util.List;

/**
 * @param counts what this session did to each record
 * @param stored the same records as the source unit's manifest counts them ({@link dev.rawzone.core.accounting.Tally#asStored()})
 */
public record SessionResult(Counts counts, Counts stored, List<PublishedPart> dataParts,
                            List<PublishedPart> quarantineParts) {
}
