package dev.rawzone.core.kinesis;

import dev.rawzone.core.write.Position;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a shard stands in the raw zone.
 * <ul>
 *   <li>{@code through}: every user record at or below this position is settled (written, quarantined or a known
 *       duplicate), outside the holes, so a re-delivered record there is skipped without any S3 call;</li>
 *   <li>{@code coverage}: per part writer (a dataset's schema version, or a dataset's quarantine), the last
 *       position that a durable part of that writer reaches, where that is beyond {@code through}. Records of
 *       that writer up to there are in the raw zone even though earlier records of other writers may not be
 *       (a partial failure), or even though they lie beyond the batch that found the part (a crash, then a
 *       bisected retry whose first half finds a part written by the crashed attempt for the whole batch);</li>
 *   <li>{@code failedFroms}: the first record of each range a batch (or its pin) reported as not settled, while
 *       nothing has settled it, at most {@value #MAX_FAILED_FROMS}. Lambda retries from there; a later batch whose
 *       first record lies beyond one means the event source mapping gave that range up (retry limit or record age)
 *       and sent it to the on-failure destination. Each range's start is kept on its own: a batch past a given-up
 *       range that fails too adds its own first record, so when the first range is re-driven (and settled) before a
 *       batch opens its hole, the second is still known to be open;</li>
 *   <li>{@code holes}: such given-up ranges {@code [from, to)} below {@code through}, at most {@value #MAX_HOLES}.
 *       Nothing in a hole is settled, so a re-drive of the range (re-read from the stream) is processed normally; a
 *       hole keeps the coverage that held when it opened, so records of the range already written by a partly
 *       failed batch are skipped rather than written again under a new key, and records an earlier crashed
 *       attempt wrote are found by part key. A hole shrinks as a delivery settles it from its start, and splits
 *       around a delivery that starts inside it; what lies past the re-driven range up to the next batch's first
 *       record holds no record unless the mapping gave up more there, and stays open.</li>
 * </ul>
 * and {@code pins}: the configuration ({@link ShardConfig}: route and schema versions) each range of the shard was
 * first attempted with, up to a position, written before anything of the range is: a retry of the range decides
 * every record as that first attempt did, whatever was published since, and a pin is dropped once its range is
 * settled (and no hole reaches into it).
 * <p>
 * Two states combine ({@link #merge}, concurrent advances) by what either side settled: {@code through} and
 * coverage take the larger of each, and a hole stays open wherever neither side settled it; pins stored first win.
 */
public record LedgerState(Optional<Position> through, Map<String, Position> coverage, List<Hole> holes,
                          List<Position> failedFroms, List<Pin> pins) {
    static final String THROUGH = "through";
    static final String COVER_PREFIX = "cover:";
    static final String FAILED_FROM = "failedFrom";
    static final String FAILED_FROM_PREFIX = "failedFrom:";
    static final String HOLE_PREFIX = "hole:";
    static final String PIN_PREFIX = "pin:";
    static final int MAX_HOLES = 100;
    static final int MAX_PINS = 20;
    static final int MAX_FAILED_FROMS = 20;

    public static final LedgerState EMPTY = new LedgerState(Optional.empty(), Map.of());

    /** A range the event source mapping gave up, with the coverage that holds inside it. */
    public record Hole(Position from, Position to, Map<String, Position> coverage) {
        public Hole {
            Map<String, Position> pruned = new TreeMap<>();
            coverage.forEach((writer, last) -> {
                if (last.compareTo(from) >= 0) {
                    pruned.put(writer, last);
                }
            });
            coverage = Map.copyOf(pruned);
        }

        boolean contains(Position position) {
            return position.compareTo(from) >= 0 && position.compareTo(to) < 0;
        }
    }

    /** The configuration (a {@link ShardConfig} as JSON) of the records above the previous pin and up to {@code upTo}. */
    public record Pin(Position upTo, String config) {
    }

    public LedgerState {
        Objects.requireNonNull(through, "through");
        Map<String, Position> pruned = new TreeMap<>();
        coverage.forEach((writer, last) -> {
            if (through.isEmpty() || last.compareTo(through.get()) > 0) {
                pruned.put(writer, last);
            }
        });
        coverage = Map.copyOf(pruned);
        holes = holes.stream().filter(hole -> hole.from().compareTo(hole.to()) < 0)
                .sorted(Comparator.comparing(Hole::from)).toList();
        if (holes.size() > MAX_HOLES) {
            throw new IllegalStateException("more than " + MAX_HOLES + " ranges given up to the on-failure destination "
                    + "are open in this shard's ledger (first " + holes.get(0).from() + "): re-drive them");
        }
        failedFroms = failedFroms.stream().filter(position -> !settledBelow(through, position)).distinct().sorted()
                .toList();
        if (failedFroms.size() > MAX_FAILED_FROMS) {
            throw new IllegalStateException("more than " + MAX_FAILED_FROMS + " unsettled ranges of this shard are "
                    + "waiting for a retry or a re-drive (first from " + failedFroms.get(0) + "): re-drive them");
        }
        pins = neededPins(pins, through, holes);
        if (pins.size() > MAX_PINS) {
            throw new IllegalStateException("more than " + MAX_PINS + " configurations are pinned to unsettled ranges of "
                    + "this shard (first up to " + pins.get(0).upTo() + "): its range is failing again and again "
                    + "while the configuration keeps changing");
        }
    }

    public LedgerState(Optional<Position> through, Map<String, Position> coverage, List<Hole> holes,
                       Optional<Position> failedFrom) {
        this(through, coverage, holes, failedFrom.stream().toList(), List.of());
    }

    /** The lowest of {@link #failedFroms}. */
    public Optional<Position> failedFrom() {
        return failedFroms.stream().findFirst();
    }

    /** The lowest of {@link #failedFroms} below {@code first}: a batch from {@code first} follows a range given up. */
    Optional<Position> givenUpBefore(Position first) {
        return failedFrom().filter(from -> first.compareTo(from) > 0);
    }

    public LedgerState(Optional<Position> through, Map<String, Position> coverage) {
        this(through, coverage, List.of(), Optional.empty());
    }

    /**
     * The pins some record may still be decided with: those of ranges not settled, or overlapping a hole (pin i
     * covers the positions above pin i-1 up to its own). A dropped pin's range is settled, so no record in it is
     * decided again.
     */
    private static List<Pin> neededPins(List<Pin> pins, Optional<Position> through, List<Hole> holes) {
        List<Pin> sorted = pins.stream().sorted(Comparator.comparing(Pin::upTo)).toList();
        List<Pin> needed = new ArrayList<>();
        Position below = null;
        for (Pin pin : sorted) {
            Position from = below;
            boolean inHole = holes.stream().anyMatch(hole -> hole.from().compareTo(pin.upTo()) <= 0
                    && (from == null || hole.to().compareTo(from) > 0));
            if (!settledBelow(through, pin.upTo()) || inHole) {
                needed.add(pin);
            }
            below = pin.upTo();
        }
        return List.copyOf(needed);
    }

    /** The configuration a record at {@code position} is decided with, if a pin covers it. */
    public Optional<String> pinnedConfig(Position position) {
        return pins.stream().filter(pin -> position.compareTo(pin.upTo()) <= 0).findFirst().map(Pin::config);
    }

    /**
     * This ledger before a batch writes anything: its records up to {@code upTo} pinned to {@code config} (the
     * newest pin extended when it holds the same configuration), and {@code firstUnsettled} remembered as the first
     * record not settled (besides the starts already remembered), so a range whose every attempt crashed is still
     * known to be open when the mapping gives it up.
     */
    LedgerState pinned(Position upTo, String config, Position firstUnsettled) {
        List<Pin> next = new ArrayList<>(pins);
        Pin newest = next.isEmpty() ? null : next.get(next.size() - 1);
        if (newest != null && newest.config().equals(config)) {
            next.set(next.size() - 1, new Pin(newest.upTo().compareTo(upTo) >= 0 ? newest.upTo() : upTo, config));
        } else if (newest == null || upTo.compareTo(newest.upTo()) > 0) {
            next.add(new Pin(upTo, config));
        }
        return new LedgerState(through, coverage, holes, with(failedFroms, firstUnsettled), next);
    }

    /**
     * This ledger with {@code [from, to)} open wherever it is settled below {@code through}: a range re-driven from
     * the on-failure message is decided again, even when the ledger took it as settled (no attempt of it could pin
     * it, so the batch after it was taken as contiguous). Parts of it already open keep their holes' coverage; what
     * is opened has none (its records are found by part key).
     */
    LedgerState reopened(Position from, Position to) {
        // A ledger that remembers the range (a hole or a failure start in it) settled what it says it settled: the
        // records it holds before the failure may be in parts named before the range, and would be written twice.
        boolean remembered = holes.stream().anyMatch(hole -> hole.from().compareTo(to) < 0 && hole.to().compareTo(from) > 0)
                || failedFroms.stream().anyMatch(position -> position.compareTo(from) >= 0 && position.compareTo(to) < 0);
        if (through.isEmpty() || remembered) {
            return this;
        }
        Position end = min(to, UnsettledRanges.after(through.get()));
        List<Hole> opened = new ArrayList<>(holes);
        Position at = from;
        for (Hole hole : holes) {
            if (at.compareTo(end) >= 0) {
                break;
            }
            if (hole.to().compareTo(at) <= 0) {
                continue;
            }
            if (hole.from().compareTo(at) > 0) {
                opened.add(new Hole(at, min(hole.from(), end), Map.of()));
            }
            at = hole.to().compareTo(at) > 0 ? hole.to() : at;
        }
        if (at.compareTo(end) < 0) {
            opened.add(new Hole(at, end, Map.of()));
        }
        return new LedgerState(through, coverage, opened, failedFroms, pins);
    }

    /** This ledger with {@code [from, to)} settled: a range lost at the source, reported, holds nothing to wait for. */
    LedgerState closed(Position from, Position to) {
        if (through.isEmpty()) {
            return this;
        }
        Position end = min(to, UnsettledRanges.after(through.get()));
        List<UnsettledRanges.Range> rest = new ArrayList<>();
        if (from.compareTo(UnsettledRanges.FIRST) > 0) {
            rest.add(new UnsettledRanges.Range(UnsettledRanges.FIRST, from, Map.of()));
        }
        rest.add(new UnsettledRanges.Range(from.compareTo(end) > 0 ? from : end, null, Map.of()));
        UnsettledRanges unsettled = UnsettledRanges.of(this).intersect(new UnsettledRanges(rest));
        return new LedgerState(through, coverage, unsettled.holes(), failedFroms.stream()
                .filter(position -> position.compareTo(from) < 0 || position.compareTo(to) >= 0).toList(), pins);
    }

    /** The hole {@code position} lies in, if any. */
    Optional<Hole> holeAt(Position position) {
        return holes.stream().filter(hole -> hole.contains(position)).findFirst();
    }

    public boolean settled(Position position) {
        return settledBelow(through, position) && holes.stream().noneMatch(hole -> hole.contains(position));
    }

    public boolean covered(String writer, Position position) {
        Map<String, Position> holding = holes.stream().filter(hole -> hole.contains(position)).findFirst()
                .map(Hole::coverage).orElse(settledBelow(through, position) ? Map.of() : coverage);
        Position last = holding.get(writer);
        return last != null && position.compareTo(last) <= 0;
    }

    /**
     * This ledger after one batch of the shard, whose user records start at {@code first} and follow in stream
     * order: {@code settledThrough} is the last record of its settled prefix, {@code reach} each writer's durable
     * reach (valid from {@code first} on), {@code failedAt} the first record it did not settle.
     * <p>
     * A batch past a remembered failure start opens the hole {@code [lowest such start, first)} and those starts
     * are dropped; otherwise the gap between {@code through} and {@code first} holds no record (Lambda delivers a
     * shard in order). A batch past a failure start that settles nothing claims nothing, not even coverage (its retry
     * from {@code first} finds its parts by key), so the given-up range is left for the batch that opens its hole,
     * and its own first unsettled record is remembered besides: should the range before it be re-driven and settled
     * first, this one is still known to be open.
     */
    LedgerState afterBatch(Position first, Optional<Position> settledThrough, Map<String, Position> reach,
                           Optional<Position> failedAt) {
        Optional<Position> givenUpFrom = givenUpBefore(first);
        boolean givenUp = givenUpFrom.isPresent();
        boolean replayed = settledBelow(through, first);
        Position open = through.map(UnsettledRanges::after).orElse(UnsettledRanges.FIRST);
        // What the batch leaves unsettled, each range with the coverage the batch vouches for inside it.
        List<UnsettledRanges.Range> claim = new ArrayList<>();
        if (settledThrough.isPresent()) {
            claim.add(new UnsettledRanges.Range(UnsettledRanges.FIRST, replayed ? first : open, Map.of()));
            if (givenUp) {
                claim.add(new UnsettledRanges.Range(givenUpFrom.get(), first, Map.of()));
            }
            claim.add(new UnsettledRanges.Range(UnsettledRanges.after(settledThrough.get()), null, reach));
        } else if (givenUp) {
            claim.add(new UnsettledRanges.Range(UnsettledRanges.FIRST, null, Map.of()));
        } else {
            Position reachFrom = replayed ? first : open;
            claim.add(new UnsettledRanges.Range(UnsettledRanges.FIRST, reachFrom, Map.of()));
            claim.add(new UnsettledRanges.Range(reachFrom, null, reach));
        }
        UnsettledRanges unsettled = UnsettledRanges.of(this).intersect(new UnsettledRanges(
                claim.stream().filter(range -> range.to() == null || range.from().compareTo(range.to()) < 0).toList()));
        Optional<Position> nextThrough = max(through, settledThrough);
        List<Position> kept = givenUp && settledThrough.isPresent()
                ? failedFroms.stream().filter(from -> from.compareTo(first) >= 0).toList() : failedFroms;
        return new LedgerState(nextThrough, unsettled.open(), unsettled.holes(),
                failedAt.map(at -> with(kept, at)).orElse(kept), pins);
    }

    public LedgerState merge(LedgerState other) {
        UnsettledRanges unsettled = UnsettledRanges.of(this).intersect(UnsettledRanges.of(other));
        Optional<Position> mergedThrough = max(through, other.through);
        List<Pin> mergedPins = new ArrayList<>(pins);
        Optional<Position> pinnedUpTo = pins.stream().map(Pin::upTo).max(Comparator.naturalOrder());
        other.pins.stream().filter(pin -> pinnedUpTo.isEmpty() || pin.upTo().compareTo(pinnedUpTo.get()) > 0)
                .forEach(mergedPins::add);
        List<Position> failures = new ArrayList<>(failedFroms);
        failures.addAll(other.failedFroms);
        return new LedgerState(mergedThrough, unsettled.open(), unsettled.holes(), failures, mergedPins);
    }

    public Map<String, String> toMap() {
        Map<String, String> state = new TreeMap<>();
        through.ifPresent(position -> state.put(THROUGH, position.toString()));
        coverage.forEach((writer, last) -> state.put(COVER_PREFIX + writer, last.toString()));
        // The lowest under the name it always had (what an earlier version reads), any further one by its position.
        failedFrom().ifPresent(position -> state.put(FAILED_FROM, position.toString()));
        failedFroms.stream().skip(1).forEach(position -> state.put(FAILED_FROM_PREFIX + position, position.toString()));
        for (Hole hole : holes) {
            String prefix = HOLE_PREFIX + hole.from();
            state.put(prefix, hole.to().toString());
            hole.coverage().forEach((writer, last) -> state.put(prefix + ":" + COVER_PREFIX + writer, last.toString()));
        }
        pins.forEach(pin -> state.put(PIN_PREFIX + pin.upTo(), pin.config()));
        return state;
    }

    /** Reads what {@link #toMap} wrote; an unreadable value is an IllegalArgumentException (a corrupt ledger). */
    public static LedgerState fromMap(Map<String, String> state) {
        Optional<Position> through = Optional.ofNullable(state.get(THROUGH)).map(Position::parse);
        Map<String, Position> coverage = new HashMap<>();
        Map<Position, Position> holeEnds = new HashMap<>();
        Map<Position, Map<String, Position>> holeCoverage = new HashMap<>();
        List<Pin> pins = new ArrayList<>();
        List<Position> failedFroms = new ArrayList<>();
        Optional.ofNullable(state.get(FAILED_FROM)).map(Position::parse).ifPresent(failedFroms::add);
        state.forEach((name, value) -> {
            if (name.startsWith(FAILED_FROM_PREFIX)) {
                failedFroms.add(Position.parse(name.substring(FAILED_FROM_PREFIX.length())));
            } else if (name.startsWith(PIN_PREFIX)) {
                pins.add(new Pin(Position.parse(name.substring(PIN_PREFIX.length())), value));
            } else if (name.startsWith(COVER_PREFIX)) {
                coverage.put(name.substring(COVER_PREFIX.length()), Position.parse(value));
            } else if (name.startsWith(HOLE_PREFIX)) {
                String rest = name.substring(HOLE_PREFIX.length());
                int colon = rest.indexOf(':' + COVER_PREFIX);
                if (colon < 0) {
                    holeEnds.put(Position.parse(rest), Position.parse(value));
                } else {
                    holeCoverage.computeIfAbsent(Position.parse(rest.substring(0, colon)), from -> new HashMap<>())
                            .put(rest.substring(colon + 1 + COVER_PREFIX.length()), Position.parse(value));
                }
            }
        });
        List<Hole> holes = new ArrayList<>();
        holeEnds.forEach((from, to) -> holes.add(new Hole(from, to, holeCoverage.getOrDefault(from, Map.of()))));
        return new LedgerState(through, coverage, holes, failedFroms, pins);
    }

    private static boolean settledBelow(Optional<Position> through, Position position) {
        return through.isPresent() && position.compareTo(through.get()) <= 0;
    }

    private static Optional<Position> max(Optional<Position> a, Optional<Position> b) {
        return Stream.of(a, b).flatMap(Optional::stream).max(Comparator.naturalOrder());
    }

    private static Position min(Position a, Position b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static List<Position> with(List<Position> positions, Position position) {
        List<Position> all = new ArrayList<>(positions);
        all.add(position);
        return all;
    }
}
