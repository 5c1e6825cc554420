package dev.rawzone.core.write;

/**
 * A part this run wrote ({@code created}) or found already written under its key.
 *
 * @param bytes the stored (gzipped) size this run wrote: 0 for a part found already written
 */
public record PublishedPart(String key, Position first, Position last, int records, boolean created, long bytes) {
}
