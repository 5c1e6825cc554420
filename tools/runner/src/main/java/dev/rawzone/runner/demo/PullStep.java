package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.runner.invoke.Invocation;
import dev.rawzone.testkit.api.SampleApi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * HTTP pull: starts the sample API on loopback (1,200 contacts, paginated; its second request answered with a
 * {@code 429} and {@code Retry-After: 1}), has PullIngestFunction pull it, makes late updates inside the lookback
 * window and adds new contacts, and pulls again: the second run writes only the new versions and counts the
 * re-read ones as duplicates. Prints each run's checkpoint before and after.
 */
public final class PullStep implements DemoStep {
    private static final int CONTACTS = 1200;
    private static final int NEW_CONTACTS = 40;

    @Override
    public String title() {
        return "HTTP pull: the sample API on loopback (paginated, one 429, late updates), pulled twice";
    }

    @Override
    public List<String> requires() {
        return List.of(LocalPullApi.FUNCTION, LocalPullApi.SOURCES, "CheckpointTable",
                DemoCommand.RAW_BUCKET);
    }

    @Override
    public void run(DemoContext demo) {
        try (LocalPullApi local = LocalPullApi.start(demo.stack(), Map.of(), demo.endpoint(), Map.of(), CONTACTS,
                demo.out())) {
            SampleApi api = local.api().orElseThrow();
            api.throttleAt(2, 1);
            demo.out().println("  the API's 2nd request will answer 429 with Retry-After: 1");
            pull(demo, "run 1");

            Instant newest = LocalPullApi.SAMPLE_START.plus(Duration.ofSeconds(2L * (CONTACTS - 1)));
            api.update(7, newest.minus(Duration.ofMinutes(5)));
            api.update(8, newest.minus(Duration.ofMinutes(2)));
            api.seed(NEW_CONTACTS, newest.plus(Duration.ofMinutes(1)), Duration.ofSeconds(2));
            demo.out().printf("  late updates of contacts 7 and 8 (stamped 5 and 2 minutes before the newest, inside "
                    + "the 15-minute lookback), and %d new contacts%n", NEW_CONTACTS);
            pull(demo, "run 2");
            demo.out().printf("  the API answered %d requests%n", api.requestCount());
        }
    }

    private static void pull(DemoContext demo, String label) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("version", "0").put("detail-type", "Scheduled Event").put("source", "aws.events");
        event.putObject("detail").put("source", "contacts");
        Invocation invocation = demo.invoke(LocalPullApi.FUNCTION, event);
        if (!invocation.succeeded()) {
            String error = invocation.error() == null ? "exit code " + invocation.exitCode() : invocation.error();
            demo.out().printf("  %s %s: failed (%s)%n", LocalPullApi.FUNCTION, label, error);
            demo.report().add(new DemoReport.Row("pull", "contacts " + label, 0, 0, 0, 0, 0, "error: " + error));
            return;
        }
        JsonNode response = DemoContext.json(invocation);
        JsonNode source = response == null ? null : response.path("sources").path(0);
        if (source == null || source.isMissingNode()) {
            demo.out().printf("  %s %s: no report%n", LocalPullApi.FUNCTION, label);
            return;
        }
        demo.out().printf("  %s %s: %s in %.1f s: %d pages, %d requests, %d throttled (waited %d ms)%n",
                LocalPullApi.FUNCTION, label, source.path("status").asText(), invocation.elapsed().toMillis() / 1000.0,
                source.path("pages").asInt(), source.path("requests").asInt(), source.path("throttled").asInt(),
                source.path("waited_ms").asLong());
        demo.out().println("    checkpoint before: " + checkpoint(source.path("checkpoint_before")));
        demo.out().println("    checkpoint after:  " + checkpoint(source.path("checkpoint_after")));
        demo.out().printf("    in %d = written %d + quarantined %d + duplicates %d + failed %d%n",
                source.path("in").asLong(), source.path("written").asLong(), source.path("quarantined").asLong(),
                source.path("duplicates").asLong(), source.path("failed").asLong());
        int pages = source.path("pages").asInt();
        demo.report().add(DemoReport.Row.of("pull", "contacts " + label + " (" + pages + (pages == 1 ? " page)" : " pages)"),
                source, source.path("status").asText()));
    }

    private static String checkpoint(JsonNode checkpoint) {
        if (checkpoint.path("version").asLong() == 0) {
            return "none (version 0): the first run starts from the API's beginning";
        }
        return "version " + checkpoint.path("version").asLong() + ", cursor " + checkpoint.path("cursor").asText()
                + ", next query from " + checkpoint.path("lower_bound").asText() + " (lookback), "
                + checkpoint.path("seen").asInt() + " versions kept to skip re-reads";
    }
}
