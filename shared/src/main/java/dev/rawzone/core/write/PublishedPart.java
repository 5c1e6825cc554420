package dev.rawzone.core.write;

/** A part this run wrote ({@code created}) or found already written under its key. */
public record PublishedPart(String key, Position first, Position last, int records, boolean created) {
}
