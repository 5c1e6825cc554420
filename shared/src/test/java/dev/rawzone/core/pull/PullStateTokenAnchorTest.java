package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.write.InMemorySink;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a page-token source's records are placed when a token is asked again, and what the checkpoint keeps. */
class PullStateTokenAnchorTest {
    private static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");
    private static final PositionScheme FEED = new PositionScheme(PullSourcesTest.parse(s -> {
        s.remove("pagination");
        s.putObject("cursor").put("kind", "page_token").put("field", "next_cursor").put("param", "cursor");
    }).all().get(0));
    private static final SeenSetObjects INLINE = new SeenSetObjects(new InMemorySink(),
            PullSourcesTest.parse(s -> { }).all().get(0), SeenSetObjects.DEFAULT_INLINE_LIMIT);

    private static PullState.PageOutcome page(int records, String nextToken) {
        return new PullState.PageOutcome(List.of(), Optional.empty(), Optional.ofNullable(nextToken), records);
    }

    private static PullState roundTrip(PullState state) {
        return PullState.decode(state.encode(INLINE), FEED, INLINE);
    }

    @Test
    void aLastPageWithoutANextTokenKeepsTheTokenAndWhereItsRecordsWerePlaced() {
        PullState start = PullState.decode(Map.of(), FEED, INLINE).after(page(5, "t1"), FEED, 100, NOW);

        PullState last = roundTrip(start.after(page(2, null), FEED, 100, NOW));

        assertEquals(Optional.of("t1"), last.cursor());
        assertEquals(new PullState.TokenAnchor(1, 0, 2), last.tokenAnchor());
        assertTrue(last.settledFromToken(new Position(BigInteger.ONE, 1)));
        assertFalse(last.settledFromToken(new Position(BigInteger.ONE, 2)), "a record appended since is new");
        assertFalse(last.settledFromToken(new Position(BigInteger.TWO, 0)));
    }

    @Test
    void theTokenItWasAskedWithCountsAsNoNextToken() {
        PullState asked = PullState.decode(Map.of(), FEED, INLINE).after(page(5, "t1"), FEED, 100, NOW);

        PullState same = asked.after(page(3, "t1"), FEED, 100, NOW);

        assertEquals(Optional.of("t1"), same.cursor());
        assertEquals(new PullState.TokenAnchor(1, 0, 3), same.tokenAnchor());
    }

    @Test
    void aNextTokenInsideTheSettledRecordsContinuesTheAnchorAndOnePastThemStartsAfresh() {
        PullState settled = PullState.decode(Map.of(), FEED, INLINE).after(page(7, null), FEED, 100, NOW);

        PullState inside = settled.after(page(3, "t3"), FEED, 100, NOW);
        PullState past = inside.after(page(3, "t6"), FEED, 100, NOW).after(page(3, "t9"), FEED, 100, NOW);

        assertEquals(new PullState.TokenAnchor(0, 3, 7), roundTrip(inside).tokenAnchor());
        assertEquals(Optional.of("t9"), past.cursor());
        assertEquals(new PullState.TokenAnchor(past.seq(), 0, 0), past.tokenAnchor());
        assertFalse(past.encode(INLINE).containsKey(PullState.TOKEN_SEQ), "nothing kept once past the settled records");
    }
}
