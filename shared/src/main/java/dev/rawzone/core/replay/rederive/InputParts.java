package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.core.write.ConditionalSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The original parts a selection covers (see {@link PartKey#isOriginal}), from listings only: the given keys, the
 * parts an S3 object manifest lists, or the parts under the selection's prefixes of raw/ and quarantine/.
 */
public final class InputParts {
    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    public InputParts(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    /** Data parts and quarantine parts, in listing order (data first). */
    public List<PartKey> all(ReplaySelection selection) {
        return Stream.concat(data(selection).stream(), quarantine(selection).stream()).toList();
    }

    public List<PartKey> data(ReplaySelection selection) {
        return candidates(selection, "raw", "data_parts").stream()
                .filter(key -> !key.isQuarantine() && key.isOriginal()).toList();
    }

    public List<PartKey> quarantine(ReplaySelection selection) {
        return candidates(selection, "quarantine", "quarantine_parts").stream()
                .filter(key -> key.isQuarantine() && key.isOriginal()).toList();
    }

    /** The whole-object copies in quarantine the selection covers (see {@link WholeObjectCopies}). */
    public List<PartKey> wholeObjects(ReplaySelection selection) {
        return candidates(selection, "quarantine", "quarantine_parts").stream().filter(PartKey::isWholeObjectCopy)
                .toList();
    }

    private List<PartKey> candidates(ReplaySelection selection, String top, String manifestField) {
        List<String> keys;
        if (!selection.keys().isEmpty()) {
            keys = selection.keys();
        } else if (selection.manifest().isPresent()) {
            keys = listed(selection.manifest().get(), manifestField);
        } else {
            keys = raw.keys(selection.prefix(top)).stream().filter(selection::includes).toList();
        }
        return keys.stream().map(PartKey::parse).flatMap(Optional::stream).toList();
    }

    private List<String> listed(String manifestKey, String field) {
        byte[] manifest = raw.read(manifestKey).orElseThrow(() -> new IllegalArgumentException(
                "selection.manifest " + manifestKey + " is not in the raw bucket"));
        JsonNode parts;
        try {
            parts = mapper.readTree(manifest).path(field);
        } catch (IOException e) {
            throw new UncheckedIOException("manifest " + manifestKey + " is not JSON", e);
        }
        List<String> keys = new ArrayList<>();
        parts.forEach(part -> keys.add(part.asText()));
        return keys;
    }
}
