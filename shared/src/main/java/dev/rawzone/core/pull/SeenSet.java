package dev.rawzone.core.pull;

import dev.rawzone.core.write.Position;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Collection;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The positions (record versions) already settled at or above {@link #from()}: the next query's lower bound.
 * A re-read record whose position is in the set is a duplicate; one at or above {@code from} that is not is new
 * (a late arrival), and one below {@code from} was never asked for. Kept with the checkpoint, so it is bounded:
 * when it outgrows its cap, whole cursor values (whole steps of the bound parameter's precision) are dropped from
 * the bottom and {@code from} rises with them,
 * which narrows the lookback rather than ever forgetting a position the next query could return.
 */
final class SeenSet {
    private final Position from;
    private final NavigableSet<Position> positions;

    private SeenSet(Position from, NavigableSet<Position> positions) {
        this.from = from;
        this.positions = positions;
    }

    static SeenSet empty(Position from) {
        return new SeenSet(from, new TreeSet<>());
    }

    Position from() {
        return from;
    }

    boolean covers(Position position) {
        return position.compareTo(from) >= 0;
    }

    boolean contains(Position position) {
        return positions.contains(position);
    }

    int size() {
        return positions.size();
    }

    /**
     * This set with more settled positions, then cut to {@code newFrom} (never lowered) and to {@code cap}. The cap
     * raises {@code from} only to a value {@code queryFrom} gives (the lowest value a query for a cursor value
     * returns, as the bound parameter can say it), dropping every position below it: the next query then returns
     * nothing below {@code from}, and every version at or above it that was settled is still known.
     */
    SeenSet advance(Collection<Position> settled, Position newFrom, int cap, UnaryOperator<BigInteger> queryFrom) {
        Position bottom = newFrom.compareTo(from) > 0 ? newFrom : from;
        TreeSet<Position> next = new TreeSet<>(positions.tailSet(bottom, true));
        for (Position position : settled) {
            if (position.compareTo(bottom) >= 0) {
                next.add(position);
            }
        }
        while (next.size() > cap) {
            Optional<Position> raised = raisedFrom(next, queryFrom);
            if (raised.isEmpty()) {
                break; // one value (as the query can ask for it) holds more than the cap: keep it whole
            }
            next.headSet(raised.get(), false).clear();
            bottom = raised.get().compareTo(bottom) > 0 ? raised.get() : bottom;
        }
        return new SeenSet(bottom, next);
    }

    /** The lowest {@code from} above the set's lowest cursor value that a query can start at, if any. */
    private static Optional<Position> raisedFrom(NavigableSet<Position> positions, UnaryOperator<BigInteger> queryFrom) {
        BigInteger lowest = positions.first().major();
        Position above = positions.higher(new Position(lowest, Long.MAX_VALUE));
        while (above != null) {
            BigInteger from = queryFrom.apply(above.major());
            if (from.compareTo(lowest) > 0) {
                return Optional.of(new Position(from, 0));
            }
            above = positions.higher(new Position(above.major(), Long.MAX_VALUE));
        }
        return Optional.empty();
    }

    /** The positions as gzip'd, base64 delta varints: what {@link PullState} keeps inline in the checkpoint. */
    String encode() {
        return Base64.getEncoder().encodeToString(toBytes());
    }

    /** The positions as gzip'd delta varints; the same positions always give the same bytes. */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(bytes)))) {
            long previous = 0;
            for (Position position : positions) {
                long major = position.major().longValueExact();
                writeVarLong(out, major - previous);
                writeVarLong(out, position.minor());
                previous = major;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SeenSet decode(Position from, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return empty(from);
        }
        try {
            return fromBytes(from, Base64.getDecoder().decode(encoded));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the checkpoint's seen set is unreadable: " + e.getMessage(), e);
        }
    }

    /** Reads what {@link #toBytes} wrote. */
    static SeenSet fromBytes(Position from, byte[] bytes) {
        TreeSet<Position> positions = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(
                new ByteArrayInputStream(bytes))))) {
            long major = 0;
            while (true) {
                long delta;
                try {
                    delta = readVarLong(in);
                } catch (EOFException end) {
                    break;
                }
                major += delta;
                positions.add(new Position(BigInteger.valueOf(major), readVarLong(in)));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the checkpoint's seen set is unreadable: " + e.getMessage(), e);
        }
        return new SeenSet(from, positions);
    }

    private static void writeVarLong(DataOutputStream out, long value) throws IOException {
        if (value < 0) {
            throw new IllegalArgumentException("positions only grow: " + value);
        }
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static long readVarLong(DataInputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint too long");
    }
}
