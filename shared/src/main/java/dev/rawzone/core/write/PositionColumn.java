package dev.rawzone.core.write;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The positions of a part's records, in the order added. While every major fits in a long (line numbers, record
 * indexes) they are kept as two columns of longs, not as an object per record: a part of 40,000 records is alive
 * across several young collections, and 40,000 small objects the collector copies each time cost more than
 * reading the records did. Sequence numbers beyond a long (Kinesis) switch the column to objects.
 */
final class PositionColumn {
    private static final int FIRST_CAPACITY = 1024;

    private long[] majors = new long[FIRST_CAPACITY];
    private long[] minors = new long[FIRST_CAPACITY];
    private List<Position> wide;
    private int size;

    void add(Position position) {
        if (wide == null && position.major().bitLength() < Long.SIZE) {
            if (size == majors.length) {
                majors = Arrays.copyOf(majors, size * 2);
                minors = Arrays.copyOf(minors, size * 2);
            }
            majors[size] = position.major().longValue();
            minors[size] = position.minor();
        } else {
            if (wide == null) {
                List<Position> objects = new ArrayList<>(size * 2 + 1);
                for (int i = 0; i < size; i++) {
                    objects.add(get(i));
                }
                wide = objects;
            }
            wide.add(position);
        }
        size++;
    }

    Position get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("position " + index + " of " + size);
        }
        return wide != null ? wide.get(index) : new Position(BigInteger.valueOf(majors[index]), minors[index]);
    }

    int size() {
        return size;
    }

    /** Empties the column; its arrays are kept for the next part. */
    void clear() {
        size = 0;
        wide = null;
    }
}
