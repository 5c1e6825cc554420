package dev.rawzone.core.pipeline;

import dev.rawzone.core.identity.SourceIdentity;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.Position;

import java.time.LocalDate;
import java.util.function.Function;

/**
 * What an {@link IngestSession} needs to know about its source unit.
 *
 * @param date         the source event date of the unit (the {@code dt=} partition); never the clock
 * @param positionName how quarantine entries name a position: {@code line}, {@code sequence}, {@code record}
 * @param partName     the file name of a part, from its first position only
 */
public record SessionSpec(SourceIdentity identity, String dataset, LocalDate date, String positionName,
                          Function<Position, String> partName, PartPolicy policy, RunContext run) {
}
