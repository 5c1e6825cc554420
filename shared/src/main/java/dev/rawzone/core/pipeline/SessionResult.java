package dev.rawzone.core.pipeline;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.write.PublishedPart;

import java.util.List;

public record SessionResult(Counts counts, List<PublishedPart> dataParts, List<PublishedPart> quarantineParts) {
}
