package dev.rawzone.core.observe;

import dev.rawzone.core.write.PublishedPart;

import java.util.Collection;

/** How many parts a run created and their stored bytes; parts found already written add nothing. */
public record WrittenVolume(long parts, long bytes) {
    public static final WrittenVolume NONE = new WrittenVolume(0, 0);

    public static WrittenVolume of(Collection<PublishedPart> parts) {
        long created = parts.stream().filter(PublishedPart::created).count();
        return new WrittenVolume(created, parts.stream().mapToLong(PublishedPart::bytes).sum());
    }

    public WrittenVolume plus(WrittenVolume other) {
        return new WrittenVolume(parts + other.parts, bytes + other.bytes);
    }
}
