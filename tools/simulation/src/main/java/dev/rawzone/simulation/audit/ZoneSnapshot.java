package dev.rawzone.simulation.audit;

import dev.rawzone.core.identity.KeyParts;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every object version of a bucket with the SHA-256 of its bytes, taken before and after a step: what the step
 * added, and whether it changed or added a version of anything that was there before.
 */
public final class ZoneSnapshot {
    private final Map<String, List<String>> versions;

    private ZoneSnapshot(Map<String, List<String>> versions) {
        this.versions = versions;
    }

    /** Each key's versions as {@code <version id>:<sha256>}, every object read in full. */
    public static ZoneSnapshot hashed(S3Client s3, String bucket) {
        Map<String, List<String>> versions = new TreeMap<>();
        for (ObjectVersion version : s3.listObjectVersionsPaginator(l -> l.bucket(bucket)).versions()) {
            byte[] body = s3.getObjectAsBytes(g -> g.bucket(bucket).key(version.key()).versionId(version.versionId()))
                    .asByteArray();
            versions.computeIfAbsent(version.key(), key -> new ArrayList<>())
                    .add(version.versionId() + ":" + KeyParts.sha256Hex(body));
        }
        return new ZoneSnapshot(versions);
    }

    /** The current keys only (a listing, no reads). */
    public static ZoneSnapshot keys(S3Client s3, String bucket) {
        Map<String, List<String>> keys = new TreeMap<>();
        s3.listObjectsV2Paginator(l -> l.bucket(bucket)).contents().forEach(o -> keys.put(o.key(), List.of()));
        return new ZoneSnapshot(keys);
    }

    /** Keys here that {@code before} did not have. */
    public Set<String> addedSince(ZoneSnapshot before) {
        Set<String> added = new TreeSet<>(versions.keySet());
        added.removeAll(before.versions.keySet());
        return added;
    }

    /** Keys of {@code before} whose versions or bytes are not what they were (gone, replaced, a version added). */
    public List<String> changedSince(ZoneSnapshot before) {
        List<String> changed = new ArrayList<>();
        before.versions.forEach((key, was) -> {
            List<String> now = versions.get(key);
            if (!Objects.equals(was, now)) {
                changed.add(key + " was " + was + ", is " + (now == null ? "gone" : now));
            }
        });
        return changed;
    }
}
