package dev.rawzone.core.pull;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.OptionalLong;

/**
 * Microseconds since the epoch of a timestamp in the one form almost every API writes, {@code
 * 2026-12-03T10:15:30Z}, with an optional fraction of 1 to 9 digits and {@code Z} or an offset {@code +HH:MM}, read
 * by hand instead of through {@code java.time}'s formatters: a pulled record's cursor is read several times a record,
 * and the formatters took more than half of a page's processing. Anything else (a leap second, seconds left out, a
 * year past 9999, another offset form) is left to the caller's full parser, which also decides what is refused; what
 * this reads, it reads as {@code OffsetDateTime.parse} and {@code Instant.parse} would.
 */
final class PlainIsoInstant {
    private static final int SHORTEST = "2026-12-03T10:15:30Z".length();

    private PlainIsoInstant() {
    }

    /** The instant's microseconds (the fraction truncated to them), or empty when {@code text} is not that form. */
    static OptionalLong micros(String text) {
        int length = text.length();
        if (length < SHORTEST || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return OptionalLong.empty();
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return OptionalLong.empty();
        }
        int at = 19;
        long nanos = 0;
        if (at < length && text.charAt(at) == '.') {
            int first = ++at;
            while (at < length && at - first < 9 && isDigit(text.charAt(at))) {
                nanos = nanos * 10 + (text.charAt(at++) - '0');
            }
            if (at == first) {
                return OptionalLong.empty();
            }
            for (int scale = at - first; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (at == length - 1 && text.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
                && text.charAt(at + 3) == ':') {
            int offsetHours = digits(text, at + 1, 2);
            int offsetMinutes = digits(text, at + 4, 2);
            if ((offsetHours | offsetMinutes) < 0 || offsetHours > 18 || offsetMinutes > 59
                    || offsetHours == 18 && offsetMinutes > 0) {
                return OptionalLong.empty();
            }
            offsetSeconds = (text.charAt(at) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return OptionalLong.empty();
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException notADate) {
            return OptionalLong.empty();
        }
        long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return OptionalLong.of(Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1000));
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 if a character there is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
