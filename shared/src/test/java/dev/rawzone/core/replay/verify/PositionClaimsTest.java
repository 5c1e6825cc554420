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

    @Test
    void aPositionDerivedFromQuarantineIntoAVersionIsAProblemInAnIngestedPartOfItOrInASecondDerivedPart() {
        String v2 = Claim.scope(SHARD, "orders", "v2");
        List<UnitResult> results = List.of(
                viaJson(unit("ingested-v2", new Claim(Claim.Kind.DATA, v2, Position.of("100", 0), Position.of("200", 0),
                        "ingested-v2"))),
                viaJson(unit("ingested-v1", new Claim(Claim.Kind.DATA, Claim.scope(SHARD, "orders", "v1"),
                        Position.of("100", 0), Position.of("400", 0), "ingested-v1"))),
                viaJson(unit("released", Claim.at(Claim.Kind.DERIVED, v2, Position.of("150", 0), "released"))),
                viaJson(unit("released-after", Claim.at(Claim.Kind.DERIVED, v2, Position.of("300", 0), "released"))),
                viaJson(unit("from-quarantine", Claim.at(Claim.Kind.DERIVED, v2, Position.of("300", 0),
                        "from-quarantine"))));

        List<String> problems = PositionClaims.check(results).stream().map(UnitResult::detail).toList();

        assertEquals(List.of("position 300 of " + SHARD + " orders v2: in two parts derived from quarantine (released, "
                        + "or re-derived by a rebuild), from-quarantine and released",
                "position 150 of " + SHARD + " orders v2: in an ingested part and in a part derived from quarantine, "
                        + "ingested-v2 and released"), problems,
                "v1's ranges cover both positions, but v1 is another generation");
    }

    private static UnitResult unit(String key, Claim claim) {
        return new UnitResult(new ReplayItem(VerifyUnits.PART, key), UnitStatus.OK, "", Counts.ZERO,
                List.of(key, claim.toText()), List.of(), 0);
    }

    private static UnitResult viaJson(UnitResult result) {
        return UnitResult.fromJson(result.toJson(MAPPER));
    }
}
