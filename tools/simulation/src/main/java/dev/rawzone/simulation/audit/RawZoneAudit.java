package dev.rawzone.simulation.audit;

import dev.rawzone.core.identity.KeyParts;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads every object version of a raw-zone bucket back and checks each on its own: a part's SHA-256 and record
 * count equal its lineage metadata, and no key holds two versions (a write never replaces content). What it
 * finds, record by record, is for the scenario to match against what its source sent.
 */
public final class RawZoneAudit {
    static final String SHA = "content-sha256";
    static final String COUNT = "record-count";
    static final String COVERS_FROM = "covers-from-line";
    static final String UNREAD_REST = "-rest.jsonl.gz";

    private static final Pattern RELEASE_MARKER = Pattern.compile("^quarantine/.+\\.jsonl\\.gz\\.released-v[0-9]+\\.json$");

    private final List<StoredRecord> records = new ArrayList<>();
    private final Map<String, byte[]> releaseMarkers = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    private RawZoneAudit() {
    }

    public static RawZoneAudit of(S3Client s3, String bucket) {
        RawZoneAudit audit = new RawZoneAudit();
        Map<String, Integer> versionsPerKey = new HashMap<>();
        for (ObjectVersion version : s3.listObjectVersionsPaginator(l -> l.bucket(bucket)).versions()) {
            String key = version.key();
            if (versionsPerKey.merge(key, 1, Integer::sum) == 2 && !key.startsWith("manifests/")) {
                audit.problems.add("key " + key + " holds more than one version: a write replaced content");
            }
            if (key.startsWith("manifests/")) {
                continue;
            }
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(g -> g.bucket(bucket).key(key)
                    .versionId(version.versionId()));
            audit.read(key, version.versionId(), object.response().metadata(), object.asByteArray());
        }
        return audit;
    }

    public List<StoredRecord> records() {
        return records;
    }

    /** A quarantine release's markers beside their quarantine parts ({@code <part>.released-v<N>.json}), by key. */
    public Map<String, byte[]> releaseMarkers() {
        return releaseMarkers;
    }

    /** Integrity problems of single objects (checksums, counts, overwritten keys). */
    public List<String> problems() {
        return problems;
    }

    private void read(String key, String versionId, Map<String, String> meta, byte[] body) {
        boolean data = key.startsWith("raw/");
        boolean quarantine = key.startsWith("quarantine/");
        if (quarantine && RELEASE_MARKER.matcher(key).matches()) {
            releaseMarkers.put(key, body);
            return;
        }
        if (!data && !quarantine) {
            problems.add("unexpected object outside raw/, quarantine/ and manifests/: " + key);
            return;
        }
        if (key.endsWith(".jsonl.gz")) {
            readPart(data ? StoredRecord.RAW : StoredRecord.QUARANTINE, key, versionId, meta, body);
        } else if (quarantine) {
            readWholeObject(key, versionId, meta, body);
        } else {
            problems.add("unexpected object in raw/: " + key);
        }
    }

    private void readPart(String place, String key, String versionId, Map<String, String> meta, byte[] body) {
        String sha = KeyParts.sha256Hex(body);
        if (!sha.equals(meta.get(SHA))) {
            problems.add(key + ": SHA-256 " + sha + " but lineage says " + meta.get(SHA));
        }
        List<byte[]> lines;
        try {
            lines = lines(gunzip(new ByteArrayInputStream(body)));
        } catch (IOException e) {
            problems.add(key + ": not a readable gzip part (" + e.getMessage() + ")");
            return;
        }
        if (!String.valueOf(lines.size()).equals(meta.get(COUNT))) {
            problems.add(key + ": " + lines.size() + " lines but lineage says record-count " + meta.get(COUNT));
        }
        if (isUnreadRest(key)) {
            return; // one entry for the lines of a superseded object no part holds: no record (SupersededObjectAudit)
        }
        for (byte[] line : lines) {
            records.add(new StoredRecord(place, key, versionId, line));
        }
    }

    /** The unread rest of a superseded object, one quarantined unit: {@code <stem>-<line>-rest.jsonl.gz}. */
    static boolean isUnreadRest(String key) {
        return key.startsWith("quarantine/") && key.endsWith(UNREAD_REST);
    }

    /**
     * A whole object kept in quarantine covers its lines from {@code covers-from-line} on (1 when the metadata
     * does not say): those are accounted there and nowhere else. A damaged object is read as far as it goes.
     */
    private void readWholeObject(String key, String versionId, Map<String, String> meta, byte[] body) {
        int from = meta.containsKey(COVERS_FROM) ? Integer.parseInt(meta.get(COVERS_FROM)) : 1;
        List<byte[]> lines = lines(ObjectText.readable(body));
        for (int i = from - 1; i < lines.size(); i++) {
            records.add(new StoredRecord(StoredRecord.WHOLE, key, versionId, lines.get(i)));
        }
    }

    private static byte[] gunzip(InputStream in) throws IOException {
        try (GZIPInputStream gzip = new GZIPInputStream(in)) {
            return gzip.readAllBytes();
        }
    }

    /** Lines without their {@code \n}; a last line without one is kept. */
    static List<byte[]> lines(byte[] text) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(text, start, i));
                start = i + 1;
            }
        }
        if (start < text.length) {
            lines.add(java.util.Arrays.copyOfRange(text, start, text.length));
        }
        return lines;
    }
}
