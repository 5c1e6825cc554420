package dev.rawzone.functions.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.replay.ReplayItem;
import dev.rawzone.core.replay.ReplayManifests;
import dev.rawzone.core.replay.ReplayRun;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PutOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's item listing, {@code manifests/replay/<mode>/<run id>/plan.json}: the JSON array the Distributed Map's
 * ItemReader reads, one {@link ReplayItem} per element. Written once per run id: a retried or repeated plan of the
 * same run keeps the listing its items were started from, so every worker of one run works on the same units.
 */
final class ReplayPlans {
    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    ReplayPlans(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    /** Where a run's plan is and how many items it lists. */
    record Listing(String key, int items, boolean written) {
    }

    static String key(ReplayRun run) {
        return ReplayManifests.prefix(run.mode(), run.runId()) + "plan.json";
    }

    Listing write(ReplayRun run, List<ReplayItem> items) {
        ArrayNode array = mapper.createArrayNode();
        items.forEach(item -> array.add(item.toJson(mapper)));
        byte[] body = bytes(array);
        String key = key(run);
        Map<String, String> metadata = Map.of("source", "replay", "replay-run", KeyParts.sanitise(run.runId()),
                "replay-mode", run.mode().label(), "record-count", Integer.toString(items.size()),
                "content-sha256", KeyParts.sha256Hex(body));
        if (raw.putIfAbsent(key, body, metadata) == PutOutcome.CREATED) {
            return new Listing(key, items.size(), true);
        }
        return new Listing(key, existing(key).size(), false);
    }

    /** The run's items, as its plan lists them. */
    List<ReplayItem> items(ReplayRun run) {
        List<ReplayItem> items = new ArrayList<>();
        existing(key(run)).forEach(element -> items.add(ReplayItem.fromJson(element)));
        return items;
    }

    private JsonNode existing(String key) {
        byte[] body = raw.read(key).orElseThrow(() -> new IllegalStateException("no plan " + key));
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the plan " + key + " is not JSON", e);
        }
    }

    private byte[] bytes(ArrayNode array) {
        try {
            return mapper.writeValueAsBytes(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
