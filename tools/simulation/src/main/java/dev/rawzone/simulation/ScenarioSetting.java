package dev.rawzone.simulation;

/**
 * Every environment variable a scenario may set over a function's deployed environment, and why: anything else a
 * function runs with is what the stack gave it. Each constant is the variable's name.
 */
enum ScenarioSetting {
    /** The routes the scenario publishes and moves between attempts; the deployed ones are the jar's own. */
    INGEST_CONFIG,
    /** Schema versions the scenario publishes between attempts; the deployed ones are the jar's own. */
    SCHEMA_LOCATION,
    /** Small parts (3-10 records), so an object or a batch spans several and a crash can fall between two. */
    PART_MAX_RECORDS,
    /** Each cold container's own level, as if republished: parts then differ in bytes, never in records. */
    PART_GZIP_LEVEL,
    /** The sources of the scenario's sample API on loopback (page size, dataset), changed between runs. */
    PULL_SOURCES,
    /** 1 s: the pull runs with a 3.5 s Lambda timeout, so a {@code Retry-After} can outlast an attempt. */
    PULL_TIME_RESERVE_MS,
    /** 4: a tie group larger than the cap, so every seen set goes to an object of its own. */
    PULL_SEEN_CAP,
    /** 32 bytes: with {@link #PULL_SEEN_CAP}, seen sets are never inlined in the checkpoint. */
    PULL_SEEN_INLINE_BYTES
}
