package dev.rawzone.core.write;

import dev.rawzone.core.identity.KeyParts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Batches records, in position order, into gzip JSON Lines parts and publishes each with a conditional write
 * under a key derived from the part's first position only. A re-run after a crash therefore rewrites nothing:
 * a taken key reports how far the existing part reaches ({@code position-last}), records up to there are
 * duplicates, and any beyond it start the next part.
 */
public final class PartWriter {

    /** Receives what became of each record handed to the writer. */
    public interface Outcomes {
        void published(int records);

        void duplicates(int records);
    }

    private final ConditionalSink sink;
    private final Function<Position, String> keyForFirst;
    private final PartPolicy policy;
    private final Lineage lineage;
    private final Outcomes outcomes;
    private final PartBuffer buffer = new PartBuffer();
    private final List<PublishedPart> parts = new ArrayList<>();
    private Position coveredThrough;
    private Position lastAdded;

    public PartWriter(ConditionalSink sink, Function<Position, String> keyForFirst, PartPolicy policy,
                      Lineage lineage, Outcomes outcomes) {
        this.sink = sink;
        this.keyForFirst = keyForFirst;
        this.policy = policy;
        this.lineage = lineage;
        this.outcomes = outcomes;
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
            publish();
        }
    }

    /** Publishes what is buffered. Call once the source unit is read to its end. */
    public List<PublishedPart> finish() {
        publish();
        return List.copyOf(parts);
    }

    private void publish() {
        while (!buffer.isEmpty()) {
            String key = keyForFirst.apply(buffer.first());
            byte[] body = buffer.gzip();
            Map<String, String> metadata = lineage.metadata(buffer.first(), buffer.last(), buffer.size(),
                    KeyParts.sha256Hex(body));
            if (sink.putIfAbsent(key, body, metadata) == PutOutcome.CREATED) {
                parts.add(new PublishedPart(key, buffer.first(), buffer.last(), buffer.size(), true));
                outcomes.published(buffer.size());
                buffer.clear();
            } else {
                takeOverExisting(key);
            }
        }
    }

    private void takeOverExisting(String key) {
        Position existingLast = sink.metadata(key)
                .map(metadata -> metadata.get(Lineage.POSITION_LAST))
                .map(Position::parse)
                .orElseThrow(() -> new IllegalStateException(
                        "key " + key + " is taken by an object without rawzone lineage; refusing to treat it as ours"));
        List<PartBuffer.Entry> entries = buffer.entries();
        buffer.clear();
        int covered = 0;
        for (PartBuffer.Entry entry : entries) {
            if (entry.position().compareTo(existingLast) <= 0) {
                covered++;
            } else {
                buffer.add(entry.position(), entry.line());
            }
        }
        if (covered == 0) {
            throw new IllegalStateException("key " + key + " is taken by a part ending at " + existingLast
                    + ", before its own first position " + entries.get(0).position());
        }
        parts.add(new PublishedPart(key, entries.get(0).position(), existingLast, covered, false));
        outcomes.duplicates(covered);
        coveredThrough = coveredThrough == null || existingLast.compareTo(coveredThrough) > 0 ? existingLast : coveredThrough;
    }
}
