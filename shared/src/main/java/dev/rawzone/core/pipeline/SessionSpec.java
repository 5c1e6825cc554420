package dev.rawzone.core.pipeline;

import dev.rawzone.core.identity.SourceIdentity;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.Position;

import java.time.LocalDate;
import java.util.function.Function;

/**
 * What an {@link IngestSession} needs to know about its source unit.
 *
 * @param dateOf       the source event date of the part starting at a position (its {@code dt=} partition):
 *                     a property of the source record, never the clock
 * @param positionName how quarantine entries name a position: {@code line}, {@code sequence}, {@code record}
 * @param partName     the file name of a part, from its first position only
 */
public record SessionSpec(SourceIdentity identity, String dataset, Function<Position, LocalDate> dateOf, String positionName,
                          Function<Position, String> partName, PartPolicy policy, RunContext run) {
}
