package dev.rawzone.core.write;

import java.math.BigInteger;

/**
 * A record's place in its source, ordered: a line number (S3 objects), a sequence number with its
 * sub-sequence (Kinesis, KPL), or a record index within a pulled page.
 */
public record Position(BigInteger major, long minor) implements Comparable<Position> {
    public Position {
        if (major.signum() < 0 || minor < 0) {
            throw new IllegalArgumentException("positions are not negative: " + major + "." + minor);
        }
    }

    public static Position of(long major) {
        return new Position(BigInteger.valueOf(major), 0);
    }

    public static Position of(String major, long minor) {
        return new Position(new BigInteger(major), minor);
    }

    /** Reads what {@link #toString()} wrote; a malformed text is an IllegalArgumentException. */
    public static Position parse(String text) {
        int dot = text.indexOf('.');
        try {
            return dot < 0 ? new Position(new BigInteger(text), 0)
                    : new Position(new BigInteger(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a position: " + text, e);
        }
    }

    @Override
    public int compareTo(Position other) {
        int byMajor = major.compareTo(other.major);
        return byMajor != 0 ? byMajor : Long.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return minor == 0 ? major.toString() : major + "." + minor;
    }
}
