package dev.rawzone.core.write;

import dev.rawzone.core.identity.KeyParts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Batches records, in position order, into gzip JSON Lines parts and publishes each with a conditional write
 * under a key derived from the part's first position only. A re-run after a crash therefore rewrites nothing:
 * a taken key reports how far the existing part reaches ({@code position-last}), records up to there are
 * duplicates, and any beyond it start the next part.
 *
 * <p>With a background {@link PartPublisher}, a full part is gzipped and written while the next one fills; at most
 * one part is in flight. Its outcome is taken in before the next part is handed over, so part boundaries, and
 * so keys and contents, are the ones the caller's thread alone would have made.
 */
public final class PartWriter {

    /** Receives what became of each record handed to the writer. */
    public interface Outcomes {
        void published(int records);

        void duplicates(int records);
    }

    /**
     * What publishing one full part did: the parts it wrote or found, and how far found ones reach; {@code buffer}
     * is the part's, free again.
     */
    private record Publication(List<PublishedPart> parts, int published, int duplicates, Position coveredThrough,
                               PartBuffer buffer) {
    }

    private final ConditionalSink sink;
    private final Function<Position, String> keyForFirst;
    private final PartPolicy policy;
    private final Lineage lineage;
    private final Outcomes outcomes;
    private final PartPublisher publisher;
    private final List<PublishedPart> parts = new ArrayList<>();
    private PartBuffer buffer = new PartBuffer();
    private PartBuffer spare;
    private CompletableFuture<Publication> inFlight;
    private Position coveredThrough;
    private Position lastAdded;

    public PartWriter(ConditionalSink sink, Function<Position, String> keyForFirst, PartPolicy policy,
                      Lineage lineage, Outcomes outcomes) {
        this(sink, keyForFirst, policy, lineage, outcomes, PartPublisher.inCallerThread());
    }

    public PartWriter(ConditionalSink sink, Function<Position, String> keyForFirst, PartPolicy policy,
                      Lineage lineage, Outcomes outcomes, PartPublisher publisher) {
        this.sink = sink;
        this.keyForFirst = keyForFirst;
        this.policy = policy;
        this.lineage = lineage;
        this.outcomes = outcomes;
        this.publisher = publisher;
    }

    public void add(Position position, byte[] line) {
        if (lastAdded != null && position.compareTo(lastAdded) <= 0) {
            throw new IllegalArgumentException("positions must increase: " + position + " after " + lastAdded);
        }
        lastAdded = position;
        if (coveredThrough != null && position.compareTo(coveredThrough) <= 0) {
            outcomes.duplicates(1);
            return;
        }
        buffer.add(position, line);
        if (buffer.isFull(policy)) {
            settle();
            if (buffer.isFull(policy)) {
                handOver();
            }
        }
    }

    /**
     * Ends the part being filled here, whatever its size, without waiting for it: the part before it is settled
     * first, so at most one part is in flight while the reader goes on. Nothing buffered (the part just filled up
     * and was handed over): nothing to wait for.
     */
    public void endPart() {
        if (!buffer.isEmpty()) {
            settle();
            if (!buffer.isEmpty()) {
                handOver();
            }
        }
    }

    /**
     * Whether a part found already written (by an earlier attempt, cut elsewhere) reaches past {@code position}:
     * waits for the part in flight to know.
     */
    public boolean coversPast(Position position) {
        settle();
        return coveredThrough != null && coveredThrough.compareTo(position) > 0;
    }

    /** Publishes what is buffered and waits for it. Call once the source unit is read to its end. */
    public List<PublishedPart> finish() {
        settle();
        if (!buffer.isEmpty()) {
            handOver();
            settle();
        }
        return List.copyOf(parts);
    }

    /**
     * Waits for the part in flight, if any, and takes in what became of it: its records are counted, and records
     * buffered since that an existing part turned out to cover are duplicates. A failure of the part is rethrown
     * here, as it was thrown.
     */
    public void settle() {
        if (inFlight == null) {
            return;
        }
        CompletableFuture<Publication> publication = inFlight;
        inFlight = null;
        Publication done = PartPublisher.await(publication);
        spare = done.buffer();
        spare.clear();
        parts.addAll(done.parts());
        outcomes.published(done.published());
        outcomes.duplicates(done.duplicates());
        if (done.coveredThrough() != null
                && (coveredThrough == null || done.coveredThrough().compareTo(coveredThrough) > 0)) {
            coveredThrough = done.coveredThrough();
        }
        if (coveredThrough != null) {
            outcomes.duplicates(buffer.dropThrough(coveredThrough));
        }
    }

    private void handOver() {
        PartBuffer full = buffer;
        buffer = spare != null ? spare : new PartBuffer();
        spare = null;
        inFlight = publisher.submit(() -> publish(full));
        if (publisher.inCallersThread()) {
            settle();
        }
    }

    /** Runs in the publisher's thread: touches nothing of the writer's but what does not change. */
    private Publication publish(PartBuffer part) {
        List<PublishedPart> published = new ArrayList<>();
        int written = 0;
        int duplicates = 0;
        Position covered = null;
        while (!part.isEmpty()) {
            String key = keyForFirst.apply(part.first());
            byte[] body = part.gzip(policy.gzipLevel());
            Map<String, String> metadata = lineage.metadata(part.first(), part.last(), part.size(),
                    KeyParts.sha256Hex(body));
            if (sink.putIfAbsent(key, body, metadata) == PutOutcome.CREATED) {
                published.add(new PublishedPart(key, part.first(), part.last(), part.size(), true, body.length));
                written += part.size();
                break;
            }
            Position first = part.first();
            Position existingLast = existingLast(key);
            int taken = part.dropThrough(existingLast);
            if (taken == 0) {
                throw new IllegalStateException("key " + key + " is taken by a part ending at " + existingLast
                        + ", before its own first position " + first);
            }
            published.add(new PublishedPart(key, first, existingLast, taken, false, 0));
            duplicates += taken;
            covered = existingLast;
        }
        return new Publication(published, written, duplicates, covered, part);
    }

    private Position existingLast(String key) {
        return sink.metadata(key)
                .map(metadata -> metadata.get(Lineage.POSITION_LAST))
                .map(Position::parse)
                .orElseThrow(() -> new IllegalStateException(
                        "key " + key + " is taken by an object without rawzone lineage; refusing to treat it as ours"));
    }
}
