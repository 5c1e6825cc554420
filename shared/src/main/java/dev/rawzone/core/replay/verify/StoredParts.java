package dev.rawzone.core.replay.verify;

import dev.rawzone.core.replay.PartLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.replay.rederive.PartKey;
import dev.rawzone.core.replay.rederive.ReleaseMarkers;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.Position;

import java.io.IOException;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one stored part against its own lineage: it is there, its bytes have the SHA-256 and its content the line
 * count the lineage records, an object it derives from is there; and notes the source positions it claims.
 */
final class StoredParts {
    static final String DERIVED_FROM = "derived-from";
    private static final String RELEASE_MARKER = ".released-v";

    private final ConditionalSink raw;
    private final ObjectMapper mapper;

    StoredParts(ConditionalSink raw, ObjectMapper mapper) {
        this.raw = raw;
        this.mapper = mapper;
    }

    static boolean isReleaseMarker(String key) {
        return key.contains(RELEASE_MARKER) && key.endsWith(".json");
    }

    /** A whole unreadable object's copy in quarantine: evidence, without records or a content lineage. */
    static boolean isObjectCopy(String key) {
        return key.startsWith("quarantine/") && key.endsWith(".object");
    }

    /** A part as checked: the SHA-256 of its stored bytes and the records it holds. */
    record Checked(String sha256, int records) {
    }

    /** @return what the part holds, when it is there and is gzip */
    Optional<Checked> check(String key, Findings findings) {
        Optional<Map<String, String>> metadata = raw.metadata(key);
        Optional<byte[]> body = metadata.flatMap(m -> raw.read(key));
        if (body.isEmpty()) {
            findings.missing("part " + key + " is missing");
            return Optional.empty();
        }
        Map<String, String> lineage = metadata.get();
        findings.read(key, body.get().length);
        String sha256 = KeyParts.sha256Hex(body.get());
        if (!sha256.equals(lineage.get(Lineage.CONTENT_SHA256))) {
            findings.differs(key + ": content-sha256 " + lineage.get(Lineage.CONTENT_SHA256) + " in its lineage, "
                    + sha256 + " stored");
        }
        Optional<List<byte[]>> lines = PartLines.read(body.get());
        if (lines.isEmpty()) {
            findings.differs(key + " is not gzip");
            return Optional.empty();
        }
        findings.checked(lines.get().size());
        String count = Integer.toString(lines.get().size());
        if (!count.equals(lineage.get(Lineage.RECORD_COUNT))) {
            findings.differs(key + ": record-count " + lineage.get(Lineage.RECORD_COUNT) + " in its lineage, "
                    + count + " lines stored");
        }
        String derivedFrom = lineage.get(DERIVED_FROM);
        if (derivedFrom != null && raw.metadata(derivedFrom).isEmpty()) {
            findings.missing(key + " derives from " + derivedFrom + ", which is missing");
        }
        if (key.startsWith("raw/")) {
            if (derivedFrom == null) {
                claimRange(key, lineage, findings);
            } else {
                PartKey.parse(derivedFrom).filter(PartKey::isQuarantine)
                        .ifPresent(quarantine -> claimDerived(key, lineage, quarantine, findings));
            }
        } else {
            checkReleases(key, lineage, claimEntries(key, lineage, lines.get(), findings), findings);
        }
        return Optional.of(new Checked(sha256, lines.get().size()));
    }

    private static void claimRange(String key, Map<String, String> lineage, Findings findings) {
        try {
            findings.claim(new Claim(Claim.Kind.DATA, Claim.scope(lineage.get("source-identity"),
                    lineage.get("dataset"), "v" + lineage.get("schema-version")),
                    Position.parse(lineage.get(Lineage.POSITION_FIRST)),
                    Position.parse(lineage.get(Lineage.POSITION_LAST)), key));
        } catch (IllegalArgumentException | NullPointerException e) {
            findings.differs(key + ": its lineage has no readable position-first and position-last");
        }
    }

    /**
     * A part of generation v<N> holding records of a quarantine part (released, or re-derived by a rebuild): the
     * marker that takes them out of the quarantine's accounting is there, and the positions it names are claimed in
     * the generation, beside the ingested parts' ranges.
     */
    private void claimDerived(String key, Map<String, String> lineage, PartKey quarantine, Findings findings) {
        int version = Integer.parseInt(lineage.get("schema-version"));
        boolean released = PartKey.parse(key).filter(PartKey::isReleased).isPresent();
        String marker = released ? quarantine.releaseMarker(version) : quarantine.rebuildMarker(version);
        Optional<JsonNode> json = raw.read(marker).flatMap(this::json);
        if (json.isEmpty()) {
            findings.differs(key + " holds records of " + quarantine.key() + " that are still counted live in quarantine: "
                    + "no " + (released ? "release" : "rebuild") + " marker " + marker);
            return;
        }
        findings.read(marker, 0);
        String scope = Claim.scope(lineage.get("source-identity"), lineage.get("dataset"), "v" + version);
        for (JsonNode position : json.get().path(ReleaseMarkers.POSITIONS)) {
            findings.claim(Claim.at(Claim.Kind.DERIVED, scope, Position.parse(position.asText()), key));
        }
    }

    /** @return the positions of the part's entries */
    private Set<Position> claimEntries(String key, Map<String, String> lineage, List<byte[]> lines,
                                       Findings findings) {
        boolean rebuilt = !quarantineOf(key).equals("quarantine");
        String scope = Claim.scope(lineage.get("source-identity"), lineage.get("dataset"), quarantineOf(key));
        Set<Position> positions = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Optional<Position> position = position(lines.get(i));
            if (position.isEmpty() && rebuilt && isPartLineEntry(lines.get(i))) {
                continue;
            }
            if (position.isEmpty()) {
                findings.differs("line " + (i + 1) + " of " + key + " is not a quarantine entry with a position");
            } else {
                positions.add(position.get());
                findings.claim(Claim.at(Claim.Kind.QUARANTINED, scope, position.get(), key));
            }
        }
        return positions;
    }

    /**
     * Release markers beside the part: each releases entries the part holds into a target that is there and holds
     * one record per released position; its positions claim a release. A marker of a release that found nothing to
     * release names no target.
     */
    private void checkReleases(String key, Map<String, String> lineage, Set<Position> entries, Findings findings) {
        for (String marker : raw.keys(key + RELEASE_MARKER)) {
            Optional<JsonNode> json = raw.read(marker).flatMap(this::json);
            if (json.isEmpty()) {
                findings.differs("release marker " + marker + " is not JSON");
                continue;
            }
            findings.read(marker, 0);
            JsonNode positions = json.get().path("positions");
            String target = json.get().path("target").asText("");
            if (target.isEmpty() && positions.isEmpty()) {
                continue;
            }
            Optional<Map<String, String>> targetLineage = target.isEmpty() ? Optional.empty() : raw.metadata(target);
            if (targetLineage.isEmpty()) {
                findings.missing("release marker " + marker + " names target '" + target + "', which is missing");
            } else if (!Integer.toString(positions.size()).equals(targetLineage.get().get(Lineage.RECORD_COUNT))) {
                findings.differs("release marker " + marker + " releases " + positions.size() + " records, its target "
                        + target + " holds " + targetLineage.get().get(Lineage.RECORD_COUNT));
            }
            String version = marker.substring(marker.lastIndexOf(RELEASE_MARKER) + RELEASE_MARKER.length(),
                    marker.length() - ".json".length());
            String scope = Claim.scope(lineage.get("source-identity"), lineage.get("dataset"), "released to v" + version);
            for (JsonNode released : positions) {
                Position position = Position.parse(released.asText());
                if (!entries.contains(position)) {
                    findings.differs("release marker " + marker + " releases position " + position + ", which " + key
                            + " does not hold");
                }
                findings.claim(Claim.at(Claim.Kind.RELEASED, scope, position, marker));
            }
        }
    }

    /** Entries re-quarantined by a rebuild repeat the positions of the entries they came from: their own scope. */
    private static String quarantineOf(String key) {
        for (String segment : key.split("/")) {
            if (segment.startsWith("rebuild-v")) {
                return "quarantine " + segment;
            }
        }
        return "quarantine";
    }

    /**
     * A rebuild's entry for a data part's record that the new version refuses: data parts keep no per-record
     * position, so it names its input part and line there instead ({@code derived_from}, {@code part_line}).
     */
    private boolean isPartLineEntry(byte[] line) {
        return json(line).filter(entry -> entry.path("derived_from").isTextual()
                && entry.path("part_line").canConvertToInt() && entry.path("part_line").asInt() > 0).isPresent();
    }

    /** The entry's position: {@code line} (S3), {@code position} (pull), {@code sequence}.{@code sub_sequence}. */
    private Optional<Position> position(byte[] line) {
        Optional<JsonNode> entry = json(line);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        try {
            for (String field : new String[] {"line", "position"}) {
                if (entry.get().path(field).isValueNode()) {
                    return Optional.of(Position.parse(entry.get().get(field).asText()));
                }
            }
            if (entry.get().path("sequence").isValueNode()) {
                return Optional.of(new Position(new BigInteger(entry.get().get("sequence").asText()),
                        entry.get().path("sub_sequence").asLong(0)));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Optional<JsonNode> json(byte[] bytes) {
        try {
            JsonNode node = mapper.readTree(bytes);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

}
