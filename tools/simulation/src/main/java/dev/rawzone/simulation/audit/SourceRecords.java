package dev.rawzone.simulation.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a scenario's source sent, by record id. Ids look like {@code rec-<n>-<n>...}, so they can be found in any
 * stored form: a data line, a quarantine entry's {@code record} or {@code raw} text, a line of a whole object.
 * A record is either one that must land (it was delivered and its delivery settled) or one that may (an API
 * version that was superseded before any complete run read it); its bytes, when given, are what a data part
 * must hold byte for byte.
 */
public final class SourceRecords {
    private static final Pattern ID = Pattern.compile("rec-\\d+(?:-\\d+)*(?=[\",\\\\])");

    public record Sent(String id, Optional<byte[]> bytes, boolean mustLand) {
    }

    private final Map<String, Sent> sent = new LinkedHashMap<>();
    private final Function<String, Optional<String>> identify;

    /** Records whose ids follow the {@code rec-...} pattern. */
    public SourceRecords() {
        this(SourceRecords::idIn);
    }

    /** Records identified in their stored text by {@code identify} (a pulled API's own ids, say). */
    public SourceRecords(Function<String, Optional<String>> identify) {
        this.identify = identify;
    }

    public static String id(long scenario, long... parts) {
        StringBuilder id = new StringBuilder("rec-").append(scenario);
        for (long part : parts) {
            id.append('-').append(part);
        }
        return id.toString();
    }

    /** A record that must end written or quarantined once; {@code bytes} null when its stored form differs (CSV). */
    public void mustLand(String id, byte[] bytes) {
        sent.put(id, new Sent(id, Optional.ofNullable(bytes), true));
    }

    /** A record that may be stored (once at most), but need not be. */
    public void mayLand(String id, byte[] bytes) {
        sent.merge(id, new Sent(id, Optional.ofNullable(bytes), false), (old, added) -> old);
    }

    /** A record that need land no more: another check accounts for it (the unread rest of a superseded object). */
    public void accountedElsewhere(String id) {
        sent.computeIfPresent(id, (key, was) -> new Sent(key, was.bytes(), false));
    }

    public Map<String, Sent> all() {
        return sent;
    }

    public int size() {
        return sent.size();
    }

    /** The id of the source record a stored line (a record, a quarantine entry, a line of an object) holds. */
    public Optional<String> identify(String storedText) {
        return identify.apply(storedText);
    }

    static Optional<String> idIn(String text) {
        Matcher matcher = ID.matcher(text);
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }
}
