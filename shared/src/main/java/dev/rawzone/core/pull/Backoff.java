package dev.rawzone.core.pull;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before another attempt: what the server asked for in {@code Retry-After} (seconds or an
 * HTTP date), else an exponential backoff with jitter (half fixed, half random, so retries from many runs spread
 * out but never collapse to zero).
 */
final class Backoff {
    /** The longest {@code Retry-After} honoured: a longer one (or a date further ahead) is taken as this. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;
    private final Clock clock;

    Backoff(Duration base, Duration cap, RandomGenerator random, Clock clock) {
        this.base = base;
        this.cap = cap;
        this.random = random;
        this.clock = clock;
    }

    /** The wait after failed attempt {@code attempt} (1 for the first). */
    Duration after(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        long half = ceiling / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    /** {@code Retry-After} as a duration from now, or empty when absent or unreadable; at most 24 hours. */
    Optional<Duration> retryAfter(Optional<String> header) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        Duration wait;
        if (value.matches("[0-9]{1,9}")) {
            wait = Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                wait = Duration.between(clock.instant(), at.toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }
}
