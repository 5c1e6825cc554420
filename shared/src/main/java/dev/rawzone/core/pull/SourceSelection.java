package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.event.MalformedEventException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which sources a scheduled event asks for: its {@code detail} is {@code {}} (every configured source, in
 * configuration order), {@code {"source": "<name>"}} or {@code {"sources": ["<name>", ...]}}. The pull function and
 * the redrive of its failure destination select sources here.
 */
public final class SourceSelection {
    private SourceSelection() {
    }

    /** @throws MalformedEventException when the detail is not of that shape or names a source not configured */
    public static List<PullSource> select(JsonNode detail, PullSources sources) {
        Optional<List<String>> wanted = requested(detail);
        if (wanted.isEmpty()) {
            return sources.all();
        }
        List<PullSource> selected = new ArrayList<>();
        for (String name : wanted.get()) {
            selected.add(sources.find(name).orElseThrow(() -> new MalformedEventException("no pull source named "
                    + name + " is configured (configured: " + String.join(", ", sources.names()) + ")")));
        }
        return selected;
    }

    /** The source names the event asks for, or empty for every configured source; checks the event's shape only. */
    public static Optional<List<String>> requested(JsonNode detail) {
        if (detail == null || detail.isNull() || detail.isEmpty() && detail.isObject()) {
            return Optional.empty();
        }
        if (!detail.isObject()) {
            throw new MalformedEventException("detail is not an object");
        }
        for (Iterator<String> names = detail.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("source") && !name.equals("sources")) {
                throw new MalformedEventException("detail." + name + " is not understood: detail is {} (every "
                        + "source), {\"source\": \"<name>\"} or {\"sources\": [\"<name>\", ...]}");
            }
        }
        Set<String> wanted = new LinkedHashSet<>();
        if (detail.has("source")) {
            wanted.add(name(detail.get("source"), "detail.source"));
        }
        if (detail.has("sources")) {
            if (!detail.get("sources").isArray()) {
                throw new MalformedEventException("detail.sources is not an array of source names");
            }
            for (int i = 0; i < detail.get("sources").size(); i++) {
                wanted.add(name(detail.get("sources").get(i), "detail.sources[" + i + "]"));
            }
        }
        return Optional.of(List.copyOf(wanted));
    }

    private static String name(JsonNode value, String path) {
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new MalformedEventException(path + " is not a source name");
        }
        return value.textValue();
    }
}
