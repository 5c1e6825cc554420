package dev.rawzone.core.identity;

import java.time.LocalDate;

/**
 * The raw zone's key layout (DESIGN.md section 3):
 * {@code raw/<source>/<dataset>/schema=v<N>/dt=<date>/<name>}, {@code quarantine/<source>/<dataset>/dt=<date>/<name>}
 * and {@code manifests/<source>/<dataset>/dt=<date>/<name>}, and the decisions a source unit was started with under
 * {@code manifests/<source>/decisions/<name>}. Every segment is sanitised here, whatever the caller passed; a name
 * may be a relative path ({@code <folder>/<file>}), each of its segments sanitised on its own. A unit read over
 * several invocations keeps where each stopped under {@code manifests/<source>/progress/<unit>/}.
 */
public final class RawZoneLayout {
    /**
     * A file name is a stem (a sanitised segment, cut to fit) with a position and suffix added: longer than the
     * other segments may be, so that the cut never takes the position or the suffix. Names of up to 80 characters,
     * the segment limit, come out as they always did.
     */
    private static final int MAX_NAME = 120;

    private RawZoneLayout() {
    }

    public static String data(String source, String dataset, int schemaVersion, LocalDate date, String name) {
        return "raw/" + KeyParts.sanitise(source) + "/" + KeyParts.sanitise(dataset) + "/schema=v" + schemaVersion
                + "/dt=" + date + "/" + path(name);
    }

    public static String quarantine(String source, String dataset, LocalDate date, String name) {
        return "quarantine/" + KeyParts.sanitise(source) + "/" + KeyParts.sanitise(dataset) + "/dt=" + date + "/"
                + path(name);
    }

    public static String manifest(String source, String dataset, LocalDate date, String name) {
        return "manifests/" + KeyParts.sanitise(source) + "/" + KeyParts.sanitise(dataset) + "/dt=" + date + "/"
                + path(name);
    }

    private static String path(String name) {
        StringBuilder path = new StringBuilder();
        for (String segment : name.split("/", -1)) {
            path.append(path.isEmpty() ? "" : "/").append(KeyParts.sanitise(segment, MAX_NAME));
        }
        return path.toString();
    }

    /** Where the decision a source unit started with is kept: named by the unit alone, not by what was decided. */
    public static String decision(String source, String name) {
        return "manifests/" + KeyParts.sanitise(source) + "/decisions/" + KeyParts.sanitise(name);
    }

    /** Where a unit that stopped before its end records how far it got; names sort by {@code position}. */
    public static String progress(String source, String unit, long position) {
        return progressPrefix(source, unit) + String.format("%015d", position) + ".json";
    }

    public static String progressPrefix(String source, String unit) {
        return "manifests/" + KeyParts.sanitise(source) + "/progress/" + KeyParts.sanitise(unit) + "/";
    }
}
