package dev.rawzone.core.pull;

import dev.rawzone.core.write.Position;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A pulled source's checkpoint, as strings in the checkpoint store:
 * <ul>
 *   <li>{@code cursor}: the watermark (highest cursor value settled: an ISO instant or an id) or, for a page-token
 *       source, the token to resume from;</li>
 *   <li>{@code seq}: the sequence number of the next page, which names the page's entry in the page log;</li>
 *   <li>{@code seen_from} and {@code seen}: the next query's lower bound and the record versions settled at or
 *       above it (see {@link SeenSet}); or, when that set is too big to keep inline, {@code seen_object},
 *       {@code seen_sha256} and {@code seen_count}: a reference to it in its own object ({@link SeenSetObjects});</li>
 *   <li>{@code committed_at}: when a page was last committed (for the checkpoint-age metric only).</li>
 * </ul>
 * The seen set has no size limit of its own: one cursor value shared by more records than {@code PULL_SEEN_CAP} is
 * kept whole (forgetting part of it would write those records again), so tens of thousands of records with one
 * {@code updated_at} make it hundreds of KB, over DynamoDB's 400 KB item limit. Moving it to an object keeps the
 * checkpoint item small whatever the ties, without asking the API for a tie-breaking cursor most do not offer.
 */
record PullState(CursorKind kind, Optional<String> cursor, long seq, SeenSet seen, Optional<Instant> committedAt) {
    static final String KIND = "kind";
    static final String CURSOR = "cursor";
    static final String SEQ = "seq";
    static final String SEEN_FROM = "seen_from";
    static final String SEEN = "seen";
    static final String SEEN_OBJECT = "seen_object";
    static final String SEEN_SHA256 = "seen_sha256";
    static final String SEEN_COUNT = "seen_count";
    static final String COMMITTED_AT = "committed_at";

    static PullState decode(Map<String, String> state, PositionScheme scheme, SeenSetObjects seenObjects) {
        if (state.isEmpty()) {
            Position from = new Position(scheme.initialBound().orElse(BigInteger.ZERO), 0);
            return new PullState(scheme.kind(), Optional.empty(), 0, SeenSet.empty(from), Optional.empty());
        }
        String kind = state.getOrDefault(KIND, "");
        if (!kind.equals(scheme.kind().name())) {
            throw new IllegalStateException("the checkpoint was written for a " + kind.toLowerCase()
                    + " cursor but the source now has a " + scheme.kind().name().toLowerCase()
                    + " cursor; give the changed source a new name (a new checkpoint and name stem) rather than "
                    + "reinterpret this one");
        }
        try {
            Position from = Position.parse(state.getOrDefault(SEEN_FROM, "0"));
            SeenSet seen = state.containsKey(SEEN_OBJECT)
                    ? seenObjects.load(new SeenSetObjects.Reference(state.get(SEEN_OBJECT), state.get(SEEN_SHA256),
                            Integer.parseInt(state.getOrDefault(SEEN_COUNT, "-1"))), from)
                    : SeenSet.decode(from, state.get(SEEN));
            return new PullState(scheme.kind(), Optional.ofNullable(state.get(CURSOR)),
                    Long.parseLong(state.getOrDefault(SEQ, "0")), seen,
                    Optional.ofNullable(state.get(COMMITTED_AT)).map(Instant::parse));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the checkpoint is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoint's state; a seen set too big to keep inline is first written to its own object, which the state
     * then names.
     */
    Map<String, String> encode(SeenSetObjects seenObjects) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put(KIND, kind.name());
        cursor.ifPresent(value -> state.put(CURSOR, value));
        state.put(SEQ, Long.toString(seq));
        state.put(SEEN_FROM, seen.from().toString());
        String inline = seen.encode();
        if (seenObjects.fitsInline(inline)) {
            state.put(SEEN, inline);
        } else {
            SeenSetObjects.Reference reference = seenObjects.store(seen);
            state.put(SEEN_OBJECT, reference.key());
            state.put(SEEN_SHA256, reference.sha256());
            state.put(SEEN_COUNT, Integer.toString(reference.count()));
        }
        committedAt.ifPresent(at -> state.put(COMMITTED_AT, at.toString()));
        return state;
    }

    /** The lower bound to query from, or empty to start at the API's beginning (no bound ever set). */
    Optional<BigInteger> queryBound(PositionScheme scheme) {
        return cursor.isPresent() || scheme.initialBound().isPresent() ? Optional.of(seen.from().major())
                : Optional.empty();
    }

    /**
     * The state once a page is committed: the next sequence number, and either the page's resume token or the
     * new watermark with the page's settled positions added to the seen set.
     */
    PullState after(PageOutcome page, PositionScheme scheme, int seenCap, Instant now) {
        if (kind == CursorKind.PAGE_TOKEN) {
            return new PullState(kind, page.nextToken().or(() -> cursor), seq + 1, seen, Optional.of(now));
        }
        Optional<BigInteger> watermark = cursor.map(scheme::major);
        if (page.highest().isPresent()) {
            BigInteger highest = page.highest().get();
            watermark = Optional.of(watermark.map(current -> current.max(highest)).orElse(highest));
        }
        Position from = watermark.map(w -> new Position(scheme.lowerBound(w), 0)).orElse(seen.from());
        SeenSet next = seen.advance(page.settled(), from, seenCap);
        return new PullState(kind, watermark.map(scheme::cursorText), seq + 1, next, Optional.of(now));
    }

    /** What a report shows of the checkpoint (never the seen set itself). */
    Map<String, Object> describe(long version, PositionScheme scheme) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", version);
        view.put("cursor", cursor.orElse(null));
        view.put("next_page", seq);
        if (kind != CursorKind.PAGE_TOKEN) {
            view.put("lower_bound", queryBound(scheme).map(scheme::cursorText).orElse(null));
            view.put("seen", seen.size());
        }
        committedAt.ifPresent(at -> view.put("committed_at", at.toString()));
        return view;
    }

    /** What a page added, for {@link #after}. */
    record PageOutcome(Collection<Position> settled, Optional<BigInteger> highest, Optional<String> nextToken) {
    }
}
