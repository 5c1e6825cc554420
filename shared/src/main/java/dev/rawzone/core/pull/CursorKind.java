package dev.rawzone.core.pull;

/** How a source's position is kept between runs. */
public enum CursorKind {
    /** An updated-since timestamp: records ordered by it (then by id); late updates re-read by a lookback window. */
    TIMESTAMP,
    /** An increasing numeric id: records ordered by it; a lookback re-reads the last ids (late-committed rows). */
    ID,
    /** The API's own resume token (a change feed): sent back as it is, never interpreted. */
    PAGE_TOKEN
}
