package dev.rawzone.core.replay.rederive;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.identity.RawZoneLayout;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A part's key read back into its layout ({@code raw/<source>/<dataset>/schema=v<N>/dt=<date>/<name>} or
 * {@code quarantine/<source>/<dataset>/dt=<date>/<name>}), and the keys of what a rebuild or a quarantine release
 * derives from it: same source, date and name, so a re-run or a concurrent run targets the same keys.
 *
 * @param version the generation of a data part; empty for a quarantine part
 * @param name    everything after {@code dt=<date>/} (a Kinesis name is {@code <stream folder>/<file>})
 */
public record PartKey(String key, String source, String dataset, OptionalInt version, LocalDate date, String name) {
    private static final Pattern VERSION = Pattern.compile("schema=v([1-9][0-9]{0,8})");
    private static final Pattern REBUILD_FOLDER = Pattern.compile("rebuild-v[0-9]+");
    private static final String RELEASED_FOLDER = "released";
    private static final String FROM_QUARANTINE_FOLDER = "from-quarantine";
    private static final String PART_EXTENSION = ".jsonl.gz";
    private static final String WHOLE_OBJECT_EXTENSION = ".object";

    /** The key's layout, or empty for a key that is not a data or quarantine part's. */
    public static Optional<PartKey> parse(String key) {
        String[] segments = key.split("/", 6);
        if (segments[0].equals("raw") && segments.length == 6) {
            var version = VERSION.matcher(segments[3]);
            return version.matches()
                    ? date(segments[4]).map(date -> new PartKey(key, segments[1], segments[2],
                            OptionalInt.of(Integer.parseInt(version.group(1))), date, segments[5]))
                    : Optional.empty();
        }
        String[] quarantine = key.split("/", 5);
        if (quarantine[0].equals("quarantine") && quarantine.length == 5) {
            return date(quarantine[3]).map(date -> new PartKey(key, quarantine[1], quarantine[2], OptionalInt.empty(),
                    date, quarantine[4]));
        }
        return Optional.empty();
    }

    public boolean isQuarantine() {
        return version.isEmpty();
    }

    /**
     * Whether the part is input as the pipeline wrote it: a gzip JSON Lines part, not a whole-object copy
     * ({@code .object}), a release marker, a rebuild's quarantine ({@code rebuild-v<N>/}), a release
     * ({@code released/}) or a rebuild's re-derivation of a quarantine part ({@code from-quarantine/}).
     */
    public boolean isOriginal() {
        String folder = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
        return name.endsWith(PART_EXTENSION) && !folder.equals(RELEASED_FOLDER) && !folder.equals(FROM_QUARANTINE_FOLDER)
                && !REBUILD_FOLDER.matcher(folder).matches();
    }

    /** Whether the part is a quarantine release's output ({@link #released}). */
    public boolean isReleased() {
        return name.startsWith(RELEASED_FOLDER + "/");
    }

    /** Whether the part is an S3 object's whole copy in quarantine ({@code <stem>.object}), not records. */
    public boolean isWholeObjectCopy() {
        return isQuarantine() && name.endsWith(WHOLE_OBJECT_EXTENSION) && !name.contains("/");
    }

    /** {@code schema=v<N>} of a data part; for a quarantine part, the generation its lineage names. */
    public static String generation(int version) {
        return "schema=v" + version;
    }

    /**
     * Where a rebuild to generation {@code version} of {@code toDataset} writes this part's valid records: the same
     * name for a data part; for a quarantine part, under {@code from-quarantine/}, so that no later rebuild takes
     * it for a data part that ingest wrote.
     */
    public String rebuilt(String toDataset, int version) {
        return RawZoneLayout.data(source, toDataset, version, date,
                isQuarantine() ? FROM_QUARANTINE_FOLDER + "/" + name : name);
    }

    /** Where a rebuild to generation {@code version} writes this part's records that the version refuses. */
    public String rebuildQuarantine(String toDataset, int version) {
        return RawZoneLayout.quarantine(source, toDataset, date, "rebuild-v" + version + "/" + name);
    }

    /** The unit marker of this part's rebuild to {@code version}: written last, it says the unit is done. */
    public String rebuildMarker(int version) {
        return "manifests/replay/rebuild/v" + version + "/" + KeyParts.sha256Hex(key.getBytes(StandardCharsets.UTF_8)) + ".json";
    }

    /**
     * The claim on this quarantine part's records valid under {@code version}: which mode (a release or a rebuild)
     * writes them into that generation. See {@link QuarantineClaims}.
     */
    public String quarantineClaim(int version) {
        return "manifests/replay/claims/v" + version + "/" + KeyParts.sha256Hex(key.getBytes(StandardCharsets.UTF_8)) + ".json";
    }

    /** Where a quarantine release to {@code version} writes this quarantine part's released records. */
    public String released(int version) {
        return RawZoneLayout.data(source, dataset, version, date, RELEASED_FOLDER + "/" + name);
    }

    /** The release marker beside this quarantine part, for a release to {@code version}. */
    public String releaseMarker(int version) {
        return releaseMarkerPrefix() + version + ".json";
    }

    /** What every release marker of this quarantine part starts with, whatever its version. */
    public String releaseMarkerPrefix() {
        return key + ".released-v";
    }

    private static Optional<LocalDate> date(String segment) {
        if (!segment.startsWith("dt=")) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(segment.substring(3)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
