package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rawzone.core.identity.RawZoneLayout;
import dev.rawzone.core.route.Route;
import dev.rawzone.core.route.Routing;
import dev.rawzone.core.write.ConditionalSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dataset a stored part belongs to under today's routing: for an S3 part, the route of the landing key its
 * source identity names ({@code s3://<bucket>/<encoded key>?versionId=...}); a Kinesis or pull part keeps its
 * dataset (its routing is by stream or source, which a rebuild does not re-decide).
 */
public final class LandingRoute {
    /** The dataset, and a note for the unit's detail when it is not simply the part's own. */
    public record Decision(String dataset, Optional<String> note) {
    }

    private static final Pattern S3_URI = Pattern.compile("s3://[^/]+/([^?]*)(\\?.*)?");
    private static final Pattern S3_PART_NAME = Pattern.compile("(.+)-[0-9]{12}(?:-rest)?\\.jsonl\\.gz");
    private static final String CUT = "...#sha256=";

    private final ConditionalSink raw;
    private final Routing routing;
    private final ObjectMapper mapper;

    public LandingRoute(ConditionalSink raw, Routing routing, ObjectMapper mapper) {
        this.raw = raw;
        this.routing = routing;
        this.mapper = mapper;
    }

    public Decision of(StoredPart part) {
        String dataset = part.key().dataset();
        if (!part.key().source().equals("s3")) {
            return new Decision(dataset, Optional.empty());
        }
        Optional<String> landing = landingKey(part);
        if (landing.isEmpty()) {
            return new Decision(dataset, Optional.of("its landing key is unknown (neither its lineage nor its object "
                    + "manifest names it whole); kept in " + dataset));
        }
        Optional<Route> route = routing.route(landing.get());
        if (route.isEmpty()) {
            return new Decision(dataset, Optional.of("no route today for " + landing.get() + "; kept in " + dataset));
        }
        String today = route.get().dataset();
        return today.equals(dataset) ? new Decision(dataset, Optional.empty())
                : new Decision(today, Optional.of(landing.get() + " routes to " + today + " today (was " + dataset + ")"));
    }

    /** The landing key from the lineage, or from the object manifest when the lineage had to cut a long one. */
    private Optional<String> landingKey(StoredPart part) {
        String uri = part.identity().uri();
        Matcher matcher = S3_URI.matcher(uri);
        if (!uri.contains(CUT) && matcher.matches()) {
            return Optional.of(URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8));
        }
        Matcher name = S3_PART_NAME.matcher(part.key().name());
        if (!name.matches()) {
            return Optional.empty();
        }
        String manifest = RawZoneLayout.manifest("s3", part.key().dataset(), part.key().date(), name.group(1) + ".json");
        return raw.read(manifest).map(bytes -> {
            try {
                return mapper.readTree(bytes).path("key").asText(null);
            } catch (IOException e) {
                throw new UncheckedIOException("object manifest " + manifest + " is not JSON", e);
            }
        });
    }
}
