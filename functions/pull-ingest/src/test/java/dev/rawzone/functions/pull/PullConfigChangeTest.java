package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rawzone.functions.pull.PullFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A schema version published and the source moved to another dataset between a crash and the re-run: the page
 * the crashed run had staged and written is finished as it was begun (same dataset, same schema version, so every
 * write is a duplicate), and only the pages fetched after the change follow it.
 */
@PullTest
class PullConfigChangeTest {
    private static final String CONFIG = "rawzone-config-123456789012";

    private PullFixture fixture;

    @BeforeEach
    void setUp() {
        fixture.s3.createBucket(b -> b.bucket(CONFIG));
        for (String dataset : List.of("contacts", "people")) {
            publish("schemas/" + dataset + "/v1.json", contactsSchema());
        }
    }

    @Test
    void aPageWrittenBeforeTheChangeIsFinishedAsItWasBegun() {
        fixture.api.seed(35, START, Duration.ofSeconds(1));
        fixture.configure(SourceConfig.contacts(fixture.api));
        Map<String, String> env = fixture.environment(Map.of("SCHEMA_LOCATION", "s3://" + CONFIG + "/schemas"));
        AtomicInteger advances = new AtomicInteger();
        PullIngestWiring wiring = PullIngestWiring.fromEnvironment(env);
        PullIngestHandler crashing = new PullIngestHandler(
                wiring.withCheckpoints(Crashes.crashOnAdvance(wiring.checkpoints(), advances, 2)));
        assertThrows(Crashes.SimulatedCrash.class, () -> PullFixture.invoke(crashing));
        assertEquals(20, fixture.written().size(), "page 2 is written but not committed");

        publish("schemas/contacts/v2.json", contactsSchema());
        publish("schemas/people/v2.json", contactsSchema());
        fixture.configure(SourceConfig.contacts(fixture.api).dataset("people"));
        JsonNode rerun = PullFixture.invoke(new PullIngestHandler(env));

        assertEquals("COMPLETE", rerun.get("sources").get(0).get("status").asText(), rerun.toString());
        assertEquals(30, rerun.get("duplicates").asLong(),
                "page 2 finished from the page log as it was begun (10), then pages 1-2 re-read by the lookback (20)");
        assertEquals(15, rerun.get("written").asLong());
        assertEquals(List.of(), fixture.keys("raw/pull/contacts/schema=v2/"));
        assertFalse(fixture.keys("raw/pull/people/schema=v2/").isEmpty(), "pages fetched after the change follow it");
        fixture.assertEveryVersionExactlyOnce();
    }

    private void publish(String key, String text) {
        fixture.s3.putObject(p -> p.bucket(CONFIG).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    private static String contactsSchema() {
        try (InputStream in = PullConfigChangeTest.class.getResourceAsStream("/schemas/contacts/v1.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
