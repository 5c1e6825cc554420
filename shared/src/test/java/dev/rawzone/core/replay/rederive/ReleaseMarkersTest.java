package dev.rawzone.core.replay.rederive;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.write.Position;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a release marker names an entry: never by its line, which depends on the part it sits in. */
class ReleaseMarkersTest {
    private static final byte[] RECORD = "{\"id\":\"u-1\",  \"n\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anEntryWithAPositionIsNamedByIt() {
        Revalidation.Checked checked = new Revalidation.Checked(Revalidation.Verdict.VALID, RECORD, null,
                Optional.of(Position.of("49650000000000000001", 2)));

        assertEquals("49650000000000000001.2", ReleaseMarkers.identity(checked));
    }

    @Test
    void anEntryWithoutAPositionIsNamedByTheSha256OfItsRecordsOwnBytes() {
        Revalidation.Checked checked = new Revalidation.Checked(Revalidation.Verdict.VALID, RECORD, null,
                Optional.empty());

        assertEquals("sha256:" + KeyParts.sha256Hex(RECORD), ReleaseMarkers.identity(checked));
    }
}
