package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.pull.PullSource.TimestampFormat;
import dev.rawzone.core.write.Position;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a pulled record stands in its source's order, derived from the record alone (never from the page it came
 * in, so a re-read of the same record version lands on the same position):
 * <ul>
 *   <li>timestamp cursor: the cursor value in microseconds since the epoch, then the id (an integer id as it is,
 *       any other id as a 62-bit hash above 2<sup>62</sup>), so one version of one record has one position;</li>
 *   <li>id cursor: the id;</li>
 *   <li>page-token cursor: the page's sequence number and the record's index in it (the page is kept, so this
 *       too is fixed once the page is staged).</li>
 * </ul>
 * The major part of a position is the cursor value, which is what the checkpoint's watermark and lower bound are
 * made of.
 */
final class PositionScheme {
    private static final long HASHED_IDS = 1L << 62;
    private static final long MAX_DIRECT_ID = HASHED_IDS - 1;

    /** A record's position, or why it has none (it then goes to quarantine). */
    sealed interface Placement {
    }

    record Placed(Position position) implements Placement {
    }

    record Unplaceable(String reason) implements Placement {
    }

    private final PullSource source;

    PositionScheme(PullSource source) {
        this.source = source;
    }

    CursorKind kind() {
        return source.cursor().kind();
    }

    Placement place(JsonNode record, long seq, long index) {
        return switch (kind()) {
            case PAGE_TOKEN -> new Placed(new Position(BigInteger.valueOf(seq), index));
            case ID -> id(record.get(source.cursor().field()))
                    .<Placement>map(id -> new Placed(new Position(BigInteger.valueOf(id), 0)))
                    .orElseGet(() -> new Unplaceable("id cursor field " + source.cursor().field()
                            + " is missing or not a non-negative integer"));
            case TIMESTAMP -> {
                Optional<Long> micros = micros(record.get(source.cursor().field()));
                if (micros.isEmpty()) {
                    yield new Unplaceable("cursor field " + source.cursor().field() + " is missing or not "
                            + timestampForm() + " at or after 1970-01-01");
                }
                JsonNode id = record.get(source.idField());
                if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
                    yield new Unplaceable("id field " + source.idField() + " is missing or not a string or integer");
                }
                yield new Placed(new Position(BigInteger.valueOf(micros.get()), tieBreaker(id)));
            }
        };
    }

    /** Whether a record at {@code position} lies below what a query from the seen set's lower bound asks for. */
    boolean belowBound(Position position, SeenSet seen) {
        return kind() != CursorKind.PAGE_TOKEN && !seen.covers(position);
    }

    /** A position for a record that has none of its own: from its content, so a re-read lands on it again. */
    Position unplaced(String raw, long seq, long index) {
        if (kind() == CursorKind.PAGE_TOKEN) {
            return new Position(BigInteger.valueOf(seq), index);
        }
        byte[] digest = KeyParts.sha256().digest(raw.getBytes(StandardCharsets.UTF_8));
        return new Position(BigInteger.ZERO, new BigInteger(1, digest, 0, 8).longValue() & MAX_DIRECT_ID);
    }

    /** The cursor value of a watermark as the state and the reports show it: an ISO instant, or the id. */
    String cursorText(BigInteger major) {
        return kind() == CursorKind.TIMESTAMP ? instant(major.longValueExact()).toString() : major.toString();
    }

    /** Reads what {@link #cursorText} wrote. */
    BigInteger major(String cursorText) {
        return kind() == CursorKind.TIMESTAMP
                ? BigInteger.valueOf(micros(Instant.parse(cursorText)))
                : new BigInteger(cursorText);
    }

    /**
     * The lowest cursor value the next query can return, which is where the seen set starts: the watermark less the
     * lookback, widened to what the query parameter can say exactly (so the seen set covers exactly what the query
     * returns; see {@link #timestampBound}).
     */
    BigInteger lowerBound(BigInteger watermark) {
        if (kind() == CursorKind.TIMESTAMP) {
            return timestampBound(watermark.longValueExact() - source.cursor().lookback().toNanos() / 1000);
        }
        return watermark.subtract(BigInteger.valueOf(source.cursor().idLookback())).max(BigInteger.ZERO);
    }

    /**
     * The lowest cursor value a query for everything at or after {@code value} returns, as the bound parameter can
     * say it (see {@link #timestampBound}); an id as it is. A bound at this value, sent with {@link #boundParam},
     * asks for exactly the records from here.
     */
    BigInteger queryFrom(BigInteger value) {
        return kind() == CursorKind.TIMESTAMP ? timestampBound(value.longValueExact()) : value;
    }

    /** The configured first lower bound, as a cursor value, if the source has one. */
    Optional<BigInteger> initialBound() {
        if (kind() == CursorKind.PAGE_TOKEN) {
            return Optional.empty(); // its initial value is the first token to send, not a bound
        }
        return source.cursor().initial().map(initial -> kind() == CursorKind.TIMESTAMP
                ? timestampBound(micros(Instant.parse(initial)))
                : new BigInteger(initial));
    }

    /**
     * The lowest value a query for everything at or after {@code wanted} returns. An inclusive parameter is sent
     * {@code wanted} rounded down to its precision and returns from there. An exclusive one ({@code >}) is sent the
     * last value it can say below {@code wanted} (one step below, when {@code wanted} is a whole step: records
     * sharing the watermark are re-read, never skipped) and returns everything after it: from one microsecond on.
     */
    private BigInteger timestampBound(long wanted) {
        long unit = unitMicros();
        long from = source.cursor().inclusive() ? Math.floorDiv(wanted, unit) * unit
                : -Math.floorDiv(-wanted, unit) * unit - unit + 1;
        return BigInteger.valueOf(Math.max(0, from));
    }

    /** The query parameter's value for a lower bound: the bound itself, or the value below it for an exclusive API. */
    String boundParam(BigInteger bound) {
        if (kind() == CursorKind.ID) {
            return source.cursor().inclusive() ? bound.toString() : bound.subtract(BigInteger.ONE).toString();
        }
        long micros = source.cursor().inclusive() ? bound.longValueExact() : bound.longValueExact() - 1;
        long sent = Math.floorDiv(micros, unitMicros()) * unitMicros();
        return switch (source.cursor().format()) {
            case ISO -> instant(sent).toString();
            case EPOCH_MILLIS -> Long.toString(sent / 1000);
            case EPOCH_SECONDS -> Long.toString(sent / 1_000_000);
        };
    }

    /** The query's lower bound as the API is asked for it, for messages: {@code since=1764057600000 (inclusive)}. */
    String boundText(BigInteger bound) {
        return source.cursor().param() + "=" + boundParam(bound)
                + (source.cursor().inclusive() ? " (inclusive)" : " (exclusive)");
    }

    /** A cursor value in the source's own form, for messages: an ISO instant, an epoch number, or the id. */
    String valueText(BigInteger major) {
        if (kind() != CursorKind.TIMESTAMP) {
            return major.toString();
        }
        long micros = major.longValueExact();
        return switch (source.cursor().format()) {
            case ISO -> instant(micros).toString();
            case EPOCH_MILLIS -> Long.toString(Math.floorDiv(micros, 1000));
            case EPOCH_SECONDS -> Long.toString(Math.floorDiv(micros, 1_000_000));
        };
    }

    /**
     * A page's highest cursor value as far as the watermark may take it: for a timestamp cursor, no later than when
     * the page was fetched. A record stamped in the future (a source clock running ahead, a year typed wrong) is
     * written, and re-read as a duplicate until the clock passes it, rather than lifting the next query's lower
     * bound above every record still to come.
     */
    BigInteger noLaterThan(BigInteger highest, Instant fetchedAt) {
        return kind() == CursorKind.TIMESTAMP ? highest.min(BigInteger.valueOf(micros(fetchedAt))) : highest;
    }

    /** The record's date in UTC from a timestamp field, if it holds one. */
    Optional<Instant> timestamp(JsonNode value) {
        return micros(value).map(PositionScheme::instant);
    }

    private long unitMicros() {
        return source.cursor().precision().toNanos() / 1000;
    }

    private Optional<Long> micros(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        try {
            long micros;
            if (value.isTextual() && source.cursor().format() != TimestampFormat.ISO
                    && value.textValue().matches("[0-9]{1,18}")) {
                micros = epochMicros(Long.parseLong(value.textValue()));
            } else if (value.isTextual()) {
                String text = value.textValue().strip();
                OptionalLong plain = PlainIsoInstant.micros(text);
                micros = plain.isPresent() ? plain.getAsLong() : micros(
                        text.endsWith("Z") || text.endsWith("z") ? Instant.parse(text.toUpperCase())
                                : OffsetDateTime.parse(text).toInstant());
            } else if (value.isIntegralNumber() && value.canConvertToLong()
                    && source.cursor().format() != TimestampFormat.ISO) {
                micros = epochMicros(value.longValue());
            } else {
                return Optional.empty();
            }
            return micros < 0 ? Optional.empty() : Optional.of(micros);
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** An epoch number in the configured unit, as microseconds; a decimal string is the same number. */
    private long epochMicros(long value) {
        return Math.multiplyExact(value, source.cursor().format() == TimestampFormat.EPOCH_MILLIS ? 1000L : 1_000_000L);
    }

    private String timestampForm() {
        return switch (source.cursor().format()) {
            case ISO -> "an ISO-8601 timestamp";
            case EPOCH_MILLIS -> "epoch milliseconds (a number, or a string of decimal digits) or an ISO-8601 timestamp";
            case EPOCH_SECONDS -> "epoch seconds (a number, or a string of decimal digits) or an ISO-8601 timestamp";
        };
    }

    private static Optional<Long> id(JsonNode value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0
                && value.longValue() <= MAX_DIRECT_ID) {
            return Optional.of(value.longValue());
        }
        if (value.isTextual() && value.textValue().matches("[0-9]{1,18}")) {
            return Optional.of(Long.parseLong(value.textValue()));
        }
        return Optional.empty();
    }

    /** An integer id as it is; any other id hashed into the upper half, so the two never meet. */
    private static long tieBreaker(JsonNode id) {
        Optional<Long> direct = id(id);
        if (direct.isPresent()) {
            return direct.get();
        }
        byte[] digest = KeyParts.sha256().digest(id.asText().getBytes(StandardCharsets.UTF_8));
        return HASHED_IDS | (new BigInteger(1, digest, 0, 8).longValue() & MAX_DIRECT_ID);
    }

    /** Exact up to the year 294,000 (ChronoUnit.MICROS.between goes through nanoseconds and overflows after 2262). */
    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
