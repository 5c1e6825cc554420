package dev.rawzone.core.replay.redrive;

import dev.rawzone.core.accounting.Counts;

import java.util.List;

/**
 * What became of one failure message.
 *
 * @param disposition whether the message may be deleted
 * @param counts      the records it covered: written, quarantined, duplicates (already there), failed
 * @param read        what was read (object versions, stream ranges, sources)
 * @param written     keys written
 * @param detail      for a person: what was done, or why the message stays
 */
public record MessageOutcome(Disposition disposition, Counts counts, List<String> read, List<String> written,
                             String detail) {
    public MessageOutcome {
        read = List.copyOf(read);
        written = List.copyOf(written);
    }

    public enum Disposition {
        /** Every record it covers is written, quarantined or found already there: delete the message. */
        SETTLED,
        /**
         * The source no longer holds some of its records (a trimmed Kinesis range): reported, with the exact range,
         * in a lost marker written before the message is deleted, never skipped silently.
         */
        LOST,
        /** Not settled (a failure, the source not reachable now): the message stays for the next redrive. */
        KEEP,
        /** Dry run: what would be done. The message stays. */
        PLANNED
    }
}
