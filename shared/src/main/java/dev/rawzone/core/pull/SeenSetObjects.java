package dev.rawzone.core.pull;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Position;

import java.util.Map;
import java.util.Optional;

/**
 * Where a seen set too big for the checkpoint item is kept: its own write-once object in the raw bucket,
 * {@code manifests/pull/seen/<source>/<sha256>.bin.gz}, named by its content. It is written before the checkpoint
 * that names it is compared-and-set, so a crash in between leaves only an object nothing refers to, and a re-run
 * that settles the same positions writes the same key (a {@code 412}, nothing replaced). Reading checks the
 * object's SHA-256 and count against the checkpoint's reference: a missing or altered object fails the source
 * rather than let it forget what it settled and write those records again.
 */
final class SeenSetObjects {
    /** The default largest inline seen set (base64 characters): keeps the checkpoint item far below 400 KB. */
    static final int DEFAULT_INLINE_LIMIT = 64 * 1024;

    private final ConditionalSink raw;
    private final PullSource source;
    private final int inlineLimit;
    private Optional<Reference> known = Optional.empty();

    SeenSetObjects(ConditionalSink raw, PullSource source, int inlineLimit) {
        this.raw = raw;
        this.source = source;
        this.inlineLimit = inlineLimit;
    }

    /** What a checkpoint keeps of a seen set stored on its own. */
    record Reference(String key, String sha256, int count) {
    }

    /** Whether a seen set encoded as {@code inline} (base64) is small enough to stay in the checkpoint item. */
    boolean fitsInline(String inline) {
        return inline.length() <= inlineLimit;
    }

    String key(String sha256) {
        return "manifests/" + PullSource.SOURCE_KIND + "/seen/" + source.identity().stem() + "/" + sha256 + ".bin.gz";
    }

    /** Writes the set's object (once: the same positions give the same key) and returns the reference to it. */
    Reference store(SeenSet seen) {
        byte[] bytes = seen.toBytes();
        String sha256 = KeyParts.sha256Hex(bytes);
        Reference reference = new Reference(key(sha256), sha256, seen.size());
        if (known.equals(Optional.of(reference))) {
            return reference;
        }
        raw.putIfAbsent(reference.key(), bytes, Map.of("source", PullSource.SOURCE_KIND,
                "source-identity", source.identity().uri(), "record-count", Integer.toString(seen.size()),
                "sha256", sha256));
        known = Optional.of(reference);
        return reference;
    }

    /** The seen set the reference names, checked against it; an IllegalStateException says what is wrong. */
    SeenSet load(Reference reference, Position from) {
        byte[] bytes = raw.read(reference.key()).orElseThrow(() -> new IllegalStateException("its seen set "
                + reference.key() + " is missing from the raw bucket; restore that object (a deleted one is a "
                + "noncurrent version in the versioned bucket): without it the source cannot tell which records it "
                + "already wrote"));
        String sha256 = KeyParts.sha256Hex(bytes);
        if (!sha256.equals(reference.sha256())) {
            throw new IllegalStateException("its seen set " + reference.key() + " has SHA-256 " + sha256
                    + ", not the " + reference.sha256() + " the checkpoint names; restore the object's original version");
        }
        SeenSet seen = SeenSet.fromBytes(from, bytes);
        if (seen.size() != reference.count()) {
            throw new IllegalStateException("its seen set " + reference.key() + " holds " + seen.size()
                    + " positions, not the " + reference.count() + " the checkpoint names");
        }
        known = Optional.of(reference);
        return seen;
    }
}
