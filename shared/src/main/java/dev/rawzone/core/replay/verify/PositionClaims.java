package dev.rawzone.core.replay.verify;

import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.UnitResult;
import dev.rawzone.core.replay.UnitStatus;
import dev.rawzone.core.write.Position;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * No source position twice: within a scope (see {@link Claim#scope}), no two data parts written by ingestion
 * overlap, no two quarantine entries share a position, no position is released twice to one version, and no
 * position of a version is in two parts derived from quarantine, or in one and in an ingested part's range.
 */
final class PositionClaims {
    static final String KIND = "positions";

    private PositionClaims() {
    }

    static List<UnitResult> check(List<UnitResult> results) {
        Map<String, List<Claim>> byScope = results.stream()
                .flatMap(result -> Claim.in(result.read()).stream())
                .collect(Collectors.groupingBy(claim -> claim.kind() + " " + claim.scope(), TreeMap::new,
                        Collectors.toList()));
        List<UnitResult> problems = new ArrayList<>();
        byScope.values().forEach(claims -> problems.addAll(overlaps(claims)));
        byScope.forEach((kindAndScope, claims) -> {
            if (kindAndScope.startsWith(Claim.Kind.DERIVED + " ")) {
                String scope = kindAndScope.substring(Claim.Kind.DERIVED.name().length() + 1);
                problems.addAll(derivedInData(claims, byScope.getOrDefault(Claim.Kind.DATA + " " + scope, List.of())));
            }
        });
        return problems;
    }

    /**
     * A position released or re-derived into a version that an ingested part of that version covers: ingestion
     * put every position of its range into that part or quarantined it under the same version, and a derived
     * record is valid under it, so it is there twice.
     */
    private static List<UnitResult> derivedInData(List<Claim> derived, List<Claim> data) {
        List<Claim> ranges = new ArrayList<>(data);
        ranges.sort(Comparator.comparing(Claim::first));
        List<UnitResult> problems = new ArrayList<>();
        for (Claim position : derived) {
            for (Claim range : ranges) {
                if (range.first().compareTo(position.first()) > 0) {
                    break;
                }
                if (range.last().compareTo(position.first()) >= 0) {
                    problems.add(problem(range, position));
                }
            }
        }
        return problems;
    }

    private static List<UnitResult> overlaps(List<Claim> claims) {
        List<Claim> sorted = new ArrayList<>(claims);
        sorted.sort(Comparator.comparing(Claim::first).thenComparing(Claim::last).thenComparing(Claim::key));
        List<UnitResult> problems = new ArrayList<>();
        Claim reaching = null;
        for (Claim claim : sorted) {
            if (reaching != null && claim.first().compareTo(reaching.last()) <= 0) {
                problems.add(problem(reaching, claim));
            }
            if (reaching == null || claim.last().compareTo(reaching.last()) > 0) {
                reaching = claim;
            }
        }
        return problems;
    }

    private static UnitResult problem(Claim earlier, Claim later) {
        Position last = later.last().compareTo(earlier.last()) < 0 ? later.last() : earlier.last();
        String positions = later.first().equals(last) ? "position " + last : "positions " + later.first() + ".." + last;
        String what = positions + " of " + later.scope() + ": " + switch (later.kind()) {
            case DATA -> "in two data parts, ";
            case QUARANTINED -> "quarantined twice, in ";
            case RELEASED -> "released twice, by ";
            case DERIVED -> earlier.kind() == Claim.Kind.DATA ? "in an ingested part and in a part derived from "
                    + "quarantine, " : "in two parts derived from quarantine (released, or re-derived by a rebuild), ";
        } + earlier.key() + " and " + later.key();
        return UnitResult.of(new ReplayItem(KIND, later.key(), Map.of("also", earlier.key())), UnitStatus.DIFFERS,
                what);
    }
}
