package dev.rawzone.functions.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.event.EventJson;
import dev.rawzone.core.event.MalformedEventException;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplaySelection;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ReplayFunction event (events/README.md): a whole run {@code {"mode", "selection", "dry_run", "run_id"}}, the
 * same with {@code "plan": true} (write the item listing only), one item of a run
 * {@code {"mode", "run_id", "dry_run", "item": {"kind", "key", "attributes"}}}, or the end of a run whose items the
 * map ran {@code {"mode", "selection", "run_id", "dry_run", "results": {"Bucket", "Key"}}} (the map's
 * ResultWriterDetails: where its manifest.json is).
 *
 * @param runId given by the caller; a whole run or a plan without one gets {@link #runIdOrGenerated}
 */
record ReplayRequest(ReplayMode mode, ReplaySelection selection, boolean dryRun, Optional<String> runId,
                     boolean plan, Optional<ReplayItem> item, Optional<MapResults.Location> results,
                     Duration progressEvery) {
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final Set<String> FIELDS = Set.of("mode", "selection", "dry_run", "run_id", "plan", "item",
            "results", "progress_seconds");
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    /** @throws MalformedEventException naming the field that is missing or malformed */
    static ReplayRequest parse(byte[] event, ObjectMapper mapper) {
        JsonNode root = EventJson.object(event, mapper, "event");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new MalformedEventException(name + " is not a field of the replay event (its fields: mode, "
                        + "selection, dry_run, run_id, plan, item, results, progress_seconds)");
            }
        }
        ReplayMode mode = mode(root.get("mode"));
        ReplaySelection selection;
        try {
            selection = ReplaySelection.fromJson(root.get("selection"));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException(e.getMessage());
        }
        Optional<String> runId = runId(root.get("run_id"));
        boolean plan = flag(root, "plan");
        Optional<ReplayItem> item = item(root.get("item"));
        if (item.isPresent() && plan) {
            throw new MalformedEventException("plan and item exclude each other: plan lists a run's items, item runs one");
        }
        if (item.isPresent() && runId.isEmpty()) {
            throw new MalformedEventException("run_id is missing: an item belongs to a run (the state machine passes "
                    + "its execution name)");
        }
        if (item.isPresent() && root.has("selection")) {
            throw new MalformedEventException("selection does not go with item: the item is the selection");
        }
        Optional<MapResults.Location> results = results(root.get("results"));
        if (results.isPresent() && (plan || item.isPresent())) {
            throw new MalformedEventException("results concludes a run: it goes with neither plan nor item");
        }
        if (results.isPresent() && runId.isEmpty()) {
            throw new MalformedEventException("run_id is missing: the results are of one run (the state machine "
                    + "passes its execution name)");
        }
        return new ReplayRequest(mode, selection, flag(root, "dry_run"), runId, plan, item, results,
                progressEvery(root.get("progress_seconds")));
    }

    /** {@code <mode>-<UTC yyyyMMdd'T'HHmmss>-<8 hex>}, when the event names no run. */
    String runIdOrGenerated(Clock clock) {
        return runId.orElseGet(() -> mode.label() + "-" + RUN_TIME.format(clock.instant()) + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    }

    /** How often a whole run prints its progress line: {@code progress_seconds}, 1 to 3600 (default 30). */
    private static Duration progressEvery(JsonNode value) {
        if (value == null) {
            return PROGRESS_EVERY;
        }
        if (!value.canConvertToInt() || value.asInt() < 1 || value.asInt() > 3600) {
            throw new MalformedEventException("progress_seconds must be a whole number from 1 to 3600, not " + value);
        }
        return Duration.ofSeconds(value.asInt());
    }

    private static ReplayMode mode(JsonNode value) {
        if (value == null || !value.isTextual()) {
            throw new MalformedEventException("mode is missing or not a string: use verify, redrive or rebuild");
        }
        try {
            return ReplayMode.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("mode: " + e.getMessage());
        }
    }

    private static Optional<String> runId(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new MalformedEventException("run_id must be a non-empty string, not " + value);
        }
        return Optional.of(value.asText());
    }

    private static boolean flag(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new MalformedEventException(field + " must be true or false, not " + value);
        }
        return value.asBoolean();
    }

    private static Optional<MapResults.Location> results(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.path("Bucket").isTextual() || !value.path("Key").isTextual()) {
            throw new MalformedEventException("results must be the map's ResultWriterDetails {\"Bucket\", \"Key\"}, "
                    + "not " + value);
        }
        return Optional.of(new MapResults.Location(value.get("Bucket").asText(), value.get("Key").asText()));
    }

    private static Optional<ReplayItem> item(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw new MalformedEventException("item must be an object {\"kind\", \"key\", \"attributes\"}, not " + value);
        }
        try {
            return Optional.of(ReplayItem.fromJson(value));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("item: " + e.getMessage());
        }
    }
}
