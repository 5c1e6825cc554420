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
 *   <li>{@code committed_at}: when a page was last committed (for the checkpoint-age metric only);</li>
 *   <li>{@code token_seq}, {@code token_start} and {@code token_settled}, for a page-token source whose resume
 *       token was fetched before (see {@link TokenAnchor});</li>
 *   <li>{@code not_before}: a note that the API asked (with {@code Retry-After}) not to be called before that
 *       instant; written alone, without moving the rest, and dropped by the next commit.</li>
 * </ul>
 * The seen set has no size limit of its own: one cursor value shared by more records than {@code PULL_SEEN_CAP} is
 * kept whole (forgetting part of it would write those records again), so tens of thousands of records with one
 * {@code updated_at} make it hundreds of KB, over DynamoDB's 400 KB item limit. Moving it to an object keeps the
 * checkpoint item small whatever the ties, without asking the API for a tie-breaking cursor most do not offer.
 */
record PullState(CursorKind kind, Optional<String> cursor, long seq, SeenSet seen, Optional<Instant> committedAt,
                 Optional<TokenAnchor> anchor, Optional<Instant> notBefore) {
    static final String KIND = "kind";
    static final String CURSOR = "cursor";
    static final String SEQ = "seq";
    static final String SEEN_FROM = "seen_from";
    static final String SEEN = "seen";
    static final String SEEN_OBJECT = "seen_object";
    static final String SEEN_SHA256 = "seen_sha256";
    static final String SEEN_COUNT = "seen_count";
    static final String COMMITTED_AT = "committed_at";
    static final String TOKEN_SEQ = "token_seq";
    static final String TOKEN_START = "token_start";
    static final String TOKEN_SETTLED = "token_settled";
    static final String NOT_BEFORE = "not_before";

    static PullState decode(Map<String, String> state, PositionScheme scheme, SeenSetObjects seenObjects) {
        if (state.isEmpty()) {
            Position from = new Position(scheme.initialBound().orElse(BigInteger.ZERO), 0);
            return new PullState(scheme.kind(), Optional.empty(), 0, SeenSet.empty(from), Optional.empty(),
                    Optional.empty(), Optional.empty());
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
                    Optional.ofNullable(state.get(COMMITTED_AT)).map(Instant::parse),
                    Optional.ofNullable(state.get(TOKEN_SEQ)).map(at -> new TokenAnchor(Long.parseLong(at),
                            Long.parseLong(state.get(TOKEN_START)), Long.parseLong(state.get(TOKEN_SETTLED)))),
                    Optional.ofNullable(state.get(NOT_BEFORE)).map(Instant::parse));
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
        anchor.ifPresent(at -> {
            state.put(TOKEN_SEQ, Long.toString(at.seq()));
            state.put(TOKEN_START, Long.toString(at.start()));
            state.put(TOKEN_SETTLED, Long.toString(at.settled()));
        });
        notBefore.ifPresent(at -> state.put(NOT_BEFORE, at.toString()));
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
            return afterTokenPage(page, now);
        }
        Optional<BigInteger> watermark = cursor.map(scheme::major);
        if (page.highest().isPresent()) {
            BigInteger highest = page.highest().get();
            watermark = Optional.of(watermark.map(current -> current.max(highest)).orElse(highest));
        }
        Position from = watermark.map(w -> new Position(scheme.lowerBound(w), 0)).orElse(seen.from());
        SeenSet next = seen.advance(page.settled(), from, seenCap, scheme::queryFrom);
        return new PullState(kind, watermark.map(scheme::cursorText), seq + 1, next, Optional.of(now), anchor,
                Optional.empty());
    }

    /** The same state with a note not to call the API before {@code instant}. */
    PullState notBefore(Instant instant) {
        return new PullState(kind, cursor, seq, seen, committedAt, anchor, Optional.of(instant));
    }

    /**
     * Where the records of the next page fetched with the current token are placed, and how many there are settled:
     * a token fetched for the first time places its records at the page's own sequence number.
     */
    TokenAnchor tokenAnchor() {
        return anchor.orElse(new TokenAnchor(seq, 0, 0));
    }

    /** Whether a page-token position is one a page fetched earlier with the same token already settled. */
    boolean settledFromToken(Position position) {
        return anchor.filter(at -> position.major().equals(BigInteger.valueOf(at.seq()))
                && position.minor() < at.settled()).isPresent();
    }

    /**
     * A page without a next token (or with the token it was fetched with) keeps the token, to be asked again, and
     * the anchor, so that asking again places the same records at the same positions: the settled ones are
     * duplicates, any the API appended since are new. A next token that still leads into records settled under the
     * anchor (the page size shrank) continues it; any other starts afresh at the next page.
     */
    private PullState afterTokenPage(PageOutcome page, Instant now) {
        TokenAnchor at = tokenAnchor();
        long end = at.start() + page.records();
        Optional<String> next = page.nextToken().filter(token -> !cursor.equals(Optional.of(token)));
        if (next.isEmpty()) {
            TokenAnchor kept = new TokenAnchor(at.seq(), at.start(), Math.max(at.settled(), end));
            return new PullState(kind, cursor, seq + 1, seen, Optional.of(now), Optional.of(kept),
                    Optional.empty());
        }
        Optional<TokenAnchor> continued = end < at.settled()
                ? Optional.of(new TokenAnchor(at.seq(), end, at.settled())) : Optional.empty();
        return new PullState(kind, next, seq + 1, seen, Optional.of(now), continued, Optional.empty());
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
        } else {
            anchor.ifPresent(at -> view.put("settled_at_cursor", Math.max(0, at.settled() - at.start())));
        }
        committedAt.ifPresent(at -> view.put("committed_at", at.toString()));
        notBefore.ifPresent(at -> view.put("not_before", at.toString()));
        return view;
    }

    /** What a page added, for {@link #after}: {@code records} counts every record of the page, settled or not. */
    record PageOutcome(Collection<Position> settled, Optional<BigInteger> highest, Optional<String> nextToken,
                       int records) {
    }

    /**
     * For a page-token source: a page fetched with the current token places its i-th record at ({@code seq},
     * {@code start} + i); positions there below {@code settled} were settled by an earlier fetch of the same
     * ground.
     */
    record TokenAnchor(long seq, long start, long settled) {
    }
}
