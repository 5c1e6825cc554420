package dev.rawzone.core.replay.rederive;

import dev.rawzone.core.identity.SourceIdentity;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoredPartTest {
    @Test
    void theSourceIdentityReadsBackFromItsMetadataText() {
        String uri = "s3://landing/orders/my+file%2B1+%C3%A9.json?versionId=v1 é";
        Map<String, String> metadata = new Lineage(new SourceIdentity("s3", uri, "stem"), "orders", "orders/v1", 1,
                "test", "run").metadata(Position.of(1), Position.of(2), 2, "sha");

        assertEquals(uri, StoredPart.decoded(metadata.get("source-identity")));
    }

    @Test
    void lineageTooLongForS3CutsTheSourceIdentityToFit() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", "s3");
        metadata.put("source-identity", "s3://landing/" + "%25C3%25A9".repeat(200));
        metadata.put("derived-from", "raw/s3/orders/schema=v1/dt=2026-11-25/x.jsonl.gz");

        Map<String, String> fitted = DerivedParts.fitted(metadata);

        int size = fitted.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        assertEquals(DerivedParts.MAX_METADATA_BYTES, size);
        assertTrue(fitted.get("source-identity").startsWith("s3://landing/%25C3"), fitted.get("source-identity"));
        assertTrue(fitted.get("source-identity").contains("...#sha256="), fitted.get("source-identity"));
        assertEquals(metadata.get("derived-from"), fitted.get("derived-from"));
    }
}
