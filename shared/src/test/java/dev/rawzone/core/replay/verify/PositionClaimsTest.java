package dev.rawzone.core.replay.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cross-unit check over results that went through JSON, as Distributed Map results do. */
class PositionClaimsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SHARD = "kinesis://arn:aws:kinesis:us-east-1:1:stream/events/shardId-0";

    @Test
    void claimsSurviveTheResultsJsonAndOnlyOverlapsInOneScopeAreProblems() {
        List<UnitResult> results = List.of(
                viaJson(unit("a", new Claim(Claim.Kind.DATA, Claim.scope(SHARD, "orders", "v1"),
                        Position.of("100", 0), Position.of("200", 3), "a"))),
                viaJson(unit("b", new Claim(Claim.Kind.DATA, Claim.scope(SHARD, "orders", "v1"),
                        Position.of("200", 3), Position.of("300", 0), "b"))),
                viaJson(unit("c", new Claim(Claim.Kind.DATA, Claim.scope(SHARD, "orders", "v2"),
                        Position.of("100", 0), Position.of("300", 0), "c"))),
                viaJson(unit("d", new Claim(Claim.Kind.DATA, Claim.scope(SHARD, "orders", "v1"),
                        Position.of("200", 4), Position.of("250", 0), "d"))));

        List<UnitResult> problems = PositionClaims.check(results);

        assertEquals(List.of("position 200.3 of " + SHARD + " orders v1: in two data parts, a and b",
                        "positions 200.4..250 of " + SHARD + " orders v1: in two data parts, b and d"),
                problems.stream().map(UnitResult::detail).toList());
        assertEquals(List.of(UnitStatus.DIFFERS, UnitStatus.DIFFERS),
                problems.stream().map(UnitResult::status).toList());
    }

    private static UnitResult unit(String key, Claim claim) {
        return new UnitResult(new ReplayItem(VerifyUnits.PART, key), UnitStatus.OK, "", Counts.ZERO,
                List.of(key, claim.toText()), List.of(), 0);
    }

    private static UnitResult viaJson(UnitResult result) {
        return UnitResult.fromJson(result.toJson(MAPPER));
    }
}
