package dev.rawzone.core.replay.rederive;

import dev.rawzone.core.replay.PartLines;
import dev.rawzone.core.identity.SourceIdentity;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.Position;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A part as stored: its key and lineage metadata, and on request its lines. */
public record StoredPart(PartKey key, Map<String, String> metadata) {
    /** A part's content: one record or quarantine entry a line, each its own bytes. */
    public record Lines(List<byte[]> lines, long storedBytes) {
        public Lines {
            lines = List.copyOf(lines);
        }
    }

    public StoredPart {
        metadata = Map.copyOf(metadata);
    }

    /** The part's lineage, without reading its content; empty when nothing is at the key. */
    public static Optional<StoredPart> find(ConditionalSink raw, PartKey key) {
        return raw.metadata(key.key()).map(metadata -> new StoredPart(key, metadata));
    }

    /** The part's lines, gunzipped. */
    public Lines read(ConditionalSink raw) {
        byte[] body = raw.read(key.key()).orElseThrow(() -> new IllegalStateException(
                key.key() + " was there a moment ago and is gone: the raw zone is never deleted from"));
        return new Lines(lines(key.key(), body), body.length);
    }

    /** A lineage field the pipeline writes on every part. */
    public String lineageField(String name) {
        String value = metadata.get(name);
        if (value == null) {
            throw new IllegalStateException(key.key() + " has no '" + name + "' in its lineage: not a rawzone part");
        }
        return value;
    }

    /** The source this part came from, as its lineage names it (metadata text decoded back to the identity's uri). */
    public SourceIdentity identity() {
        return new SourceIdentity(lineageField("source"), decoded(lineageField("source-identity")), "replay");
    }

    public Position first() {
        return Position.parse(lineageField(Lineage.POSITION_FIRST));
    }

    public Position last() {
        return Position.parse(lineageField(Lineage.POSITION_LAST));
    }

    /** The schema version in the part's lineage (for a quarantine part: the version current when it was written). */
    public int schemaVersion() {
        return Integer.parseInt(lineageField("schema-version"));
    }

    /** Undoes {@link Lineage}'s percent-encoding of every byte outside printable ASCII (and of '%' itself). */
    static String decoded(String metadataText) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(metadataText.length());
        for (int i = 0; i < metadataText.length(); i++) {
            char c = metadataText.charAt(i);
            if (c == '%' && isHex(metadataText, i + 1)) {
                bytes.write(HexFormat.fromHexDigits(metadataText, i + 1, i + 3));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String text, int at) {
        return at + 1 < text.length() && HexFormat.isHexDigit(text.charAt(at)) && HexFormat.isHexDigit(text.charAt(at + 1));
    }

    private static List<byte[]> lines(String key, byte[] gzip) {
        return PartLines.read(gzip).orElseThrow(() -> new UncheckedIOException(
                new IOException("part " + key + " is not readable gzip")));
    }
}
