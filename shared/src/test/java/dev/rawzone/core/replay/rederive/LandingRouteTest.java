package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.route.Route;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.write.InMemorySink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A part whose lineage had to cut its long source identity: its landing key comes from its object's manifest. */
class LandingRouteTest {
    private static final String FOLDER = "quarantine/s3/orders/dt=2026-12-03/";
    private static final String CUT_IDENTITY = "s3://landing/in/orders/a-very-long-name...#sha256=0123abcd";

    private final InMemorySink sink = new InMemorySink();
    private final LandingRoute route = new LandingRoute(sink,
            Routing.of(List.of(new Route("in/orders/", "orders_today"))), new ObjectMapper());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"big-0123abcd-000000000013.jsonl.gz", "big-0123abcd-000000000013-rest.jsonl.gz"})
    void aPartOrTheUnreadRestOfASupersededObjectIsRoutedByTheLandingKeyItsManifestNames(String name) {
        sink.putIfAbsent("manifests/s3/orders/dt=2026-12-03/big-0123abcd.json",
                "{\"key\":\"in/orders/big.jsonl\"}".getBytes(StandardCharsets.UTF_8), Map.of());

        LandingRoute.Decision decision = route.of(part(name));

        assertEquals("orders_today", decision.dataset(), decision.note().toString());
    }

    @Test
    void withoutItsManifestThePartKeepsItsDataset() {
        LandingRoute.Decision decision = route.of(part("big-0123abcd-000000000013-rest.jsonl.gz"));

        assertEquals("orders", decision.dataset());
        assertEquals(Optional.of("its landing key is unknown (neither its lineage nor its object manifest names it "
                + "whole); kept in orders"), decision.note());
    }

    private static StoredPart part(String name) {
        return new StoredPart(PartKey.parse(FOLDER + name).orElseThrow(),
                Map.of("source", "s3", "source-identity", CUT_IDENTITY));
    }
}
