package dev.rawzone.runner.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.pull.PageFetcher;
import dev.rawzone.core.pull.PullSource;
import dev.rawzone.core.pull.Sleeper;
import dev.rawzone.core.pull.SourcePuller;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.write.PartPolicy;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code ingest pull check}: one page of each source through the engine's {@link SourcePuller#check}, printed for a
 * person. The page is written as a run writes it, into a raw zone in memory; nothing is staged, written or committed,
 * and the checkpoint is a fresh one.
 */
public final class PullCheck {
    /** How long one source's check may take, retries and waits included. */
    static final Duration PER_SOURCE = Duration.ofSeconds(90);

    private final SecretValues secrets;
    private final SourcePuller puller;

    public PullCheck(ObjectMapper mapper, SecretValues secrets, SchemaCatalogue catalogue) {
        this.secrets = secrets;
        Clock clock = Clock.systemUTC();
        NothingWritten nothing = new NothingWritten();
        this.puller = new SourcePuller(nothing, nothing, PageFetcher.create(clock, Sleeper.real(), new SplittableRandom()),
                secrets.resolver(), catalogue, PartPolicy.defaults(), mapper, clock, SourcePuller.DEFAULT_SEEN_CAP);
    }

    /** Prints each source's check; returns whether every source could be checked. */
    public boolean run(SourcesFile sources, PrintStream out) {
        boolean ok = true;
        for (PullSource source : sources.sources().all()) {
            Instant deadline = Instant.now().plus(PER_SOURCE);
            ObjectNode check = puller.check(source, () -> Duration.between(Instant.now(), deadline));
            print(check, out);
            ok &= check.path("status").asText().equals("ok");
        }
        out.println("nothing was staged, written or committed");
        out.flush();
        return ok;
    }

    /** The check for a person; any secret value in it (one of another source, say) is masked. */
    private void print(ObjectNode check, PrintStream out) {
        lines(check).forEach(line -> out.println(secrets.scrub(line)));
    }

    private static List<String> lines(ObjectNode check) {
        List<String> lines = new ArrayList<>();
        lines.add("source " + check.path("source").asText() + " (dataset " + check.path("dataset").asText() + ")");
        lines.add("  " + check.path("request").asText());
        if (!check.path("status").asText().equals("ok")) {
            lines.add("  FAILED: " + check.path("reason").asText());
            lines.add("");
            return lines;
        }
        lines.add("  schema " + check.path("schema").asText() + "; " + check.path("records").size()
                + " record(s) in the page:");
        for (JsonNode record : check.path("records")) {
            StringBuilder line = new StringBuilder("    ").append(String.format("%-10s", record.path("outcome").asText()));
            if (record.has("text")) {
                line.append(" ").append(record.path("text").asText());
            } else {
                line.append(" cursor=").append(record.path("cursor")).append(" id=").append(record.path("id"));
            }
            if (record.has("position")) {
                line.append(" position=").append(record.path("position").asText());
            }
            if (record.has("reason")) {
                line.append(": ").append(record.path("reason").asText());
            }
            lines.add(line.toString());
        }
        lines.add("  counts " + check.path("counts"));
        lines.add("  parts a run would write:");
        for (JsonNode part : check.path("parts")) {
            lines.add("    " + part.path("key").asText() + ": " + part.path("records").asInt() + " record(s), positions "
                    + part.path("first").asText() + " to " + part.path("last").asText());
        }
        lines.add("  checkpoint after this page " + check.path("checkpoint_after"));
        lines.add("");
        return lines;
    }
}
