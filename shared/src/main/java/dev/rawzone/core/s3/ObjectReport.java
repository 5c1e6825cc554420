package dev.rawzone.core.s3;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.observe.WrittenVolume;

import java.util.List;
import java.util.Optional;

/**
 * The outcome and the counts of one object, as the handler reports and logs them, with the keys of the raw zone
 * objects that hold its records and rejects (written by this run or found from an earlier one).
 *
 * @param dataset    the object's dataset, once decided (an object gone or replaced before it was is in none)
 * @param counts     what this invocation did to each record it read, as it reports and emits them
 * @param stored     the same records as the object's manifest counts them: one found in a part another attempt at
 *                   the object wrote (a crashed one, or a continuation delivered twice and run at once) is written
 *                   or quarantined there, not a duplicate, so the manifest does not depend on which attempt won
 * @param unreadable what of the object could not be read as records; present, it is one of the counted units
 * @param written    the parts this invocation created
 */
public record ObjectReport(ObjectNotice notice, Optional<String> dataset, ObjectOutcome outcome,
                           Optional<String> reason, Counts counts, Counts stored, List<String> dataKeys,
                           List<String> quarantineKeys, Optional<UnreadableRemainder> unreadable,
                           WrittenVolume written) {

    static ObjectReport withoutOutput(ObjectNotice notice, Optional<String> dataset, ObjectOutcome outcome,
                                      Optional<String> reason, Counts counts) {
        return new ObjectReport(notice, dataset, outcome, reason, counts, counts, List.of(), List.of(),
                Optional.empty(), WrittenVolume.NONE);
    }
}
