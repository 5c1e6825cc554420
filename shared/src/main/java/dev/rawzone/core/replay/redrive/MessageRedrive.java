package dev.rawzone.core.replay.redrive;

import dev.rawzone.core.replay.ReplayRun;

/**
 * Re-drives one message of a failure destination (an S3 DLQ event, a Kinesis on-failure range, a pull DLQ event)
 * through the ingest core. Idempotent: a message delivered twice, or re-driven by two runs at once, writes each
 * record once.
 */
public interface MessageRedrive {

    /** The message's records settled, lost at the source, or not yet; a dry run says what it would do, touching nothing. */
    MessageOutcome redrive(String body, ReplayRun run);
}
