package dev.rawzone.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.replay.ReplayMode;
import dev.rawzone.core.replay.ReplaySelection;
import dev.rawzone.runner.aws.EmulatorSession;
import dev.rawzone.runner.invoke.Invocation;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code ingest replay <mode> <selection> [--dry-run] [--plan <file>]}: the template's replay function for the mode
 * (ReplayVerifyFunction for verify, ReplayFunction for the others) on an event built from the command line, against
 * the emulator. The function prints a line per unit (in its log); this prints the totals
 * and each problem, and exits 1 when there is one. At a terminal the function reports its progress every second and
 * it is drawn as a bar.
 */
final class ReplayCommand {
    static final String FUNCTION = "ReplayFunction";
    static final String VERIFY_FUNCTION = "ReplayVerifyFunction";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Main main;

    ReplayCommand(Main main) {
        this.main = main;
    }

    int run(Cli cli) {
        if (cli.positional().size() != 1) {
            throw RunnerException.usage("replay takes one mode: verify, redrive or rebuild");
        }
        ReplayMode mode;
        try {
            mode = ReplayMode.parse(cli.positional().get(0));
        } catch (IllegalArgumentException e) {
            throw RunnerException.usage(e.getMessage());
        }
        boolean terminal = System.console() != null;
        ObjectNode event = event(cli, mode, selection(cli));
        if (terminal) {
            event.put("progress_seconds", 1);
        }
        Optional<Path> planFile = cli.path("plan");
        PrintStream log = terminal ? new ProgressBar(main.err()) : main.err();
        String function = mode == ReplayMode.VERIFY ? VERIFY_FUNCTION : FUNCTION;
        return new InvokeCommand(main).invoke(cli, function, bytes(event), log,
                (invocation, session, stack) -> planFile.isPresent()
                        ? savePlan(invocation, session, planFile.get())
                        : report(invocation));
    }

    static ObjectNode event(Cli cli, ReplayMode mode, ReplaySelection selection) {
        ObjectNode event = JSON.createObjectNode();
        event.put("mode", mode.label());
        event.set("selection", selection.toJson(JSON));
        event.put("dry_run", cli.dryRun());
        Optional.ofNullable(cli.options().get("run-id")).ifPresent(id -> event.put("run_id", id));
        if (cli.options().containsKey("plan")) {
            event.put("plan", true);
        }
        return event;
    }

    static ReplaySelection selection(Cli cli) {
        try {
            List<String> keys = Optional.ofNullable(cli.options().get("keys"))
                    .map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(k -> !k.isEmpty()).toList())
                    .orElse(List.of());
            return new ReplaySelection(option(cli, "source"), option(cli, "dataset"), date(cli, "from"),
                    date(cli, "to"), option(cli, "manifest"), keys, cli.flags().contains("quarantine"),
                    option(cli, "schema-version").map(ReplayCommand::version));
        } catch (IllegalArgumentException e) {
            throw RunnerException.usage(e.getMessage());
        }
    }

    private int report(Invocation invocation) {
        JsonNode response = parse(invocation);
        for (JsonNode problem : response.path("problems")) {
            main.out().println(problem.path("status").asText() + " " + problem.path("key").asText() + ": "
                    + problem.path("detail").asText());
        }
        main.out().println("replay " + response.path("mode").asText() + " " + response.path("run_id").asText() + ": "
                + response.path("units").asInt() + " units " + response.path("by_status") + ", records "
                + response.path("counts") + (response.path("stopped_early").asBoolean()
                ? ", stopped early: run again with --run-id " + response.path("run_id").asText() + " to continue" : "")
                + (response.hasNonNull("manifest") ? ", manifest " + response.path("manifest").asText() : ""));
        main.out().flush();
        return response.path("exit_code").asInt(1);
    }

    private int savePlan(Invocation invocation, EmulatorSession session, Path file) {
        JsonNode response = parse(invocation);
        String bucket = response.path("bucket").asText();
        String key = response.path("key").asText();
        byte[] plan = session.clients().s3().getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray();
        try {
            Files.write(file, plan);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan to " + file, e);
        }
        main.out().println("plan: " + response.path("items").asInt() + " items to " + file + " (s3://" + bucket + "/"
                + key + ", what the state machine's Distributed Map reads)");
        return 0;
    }

    private static JsonNode parse(Invocation invocation) {
        try {
            return JSON.readTree(invocation.response());
        } catch (IOException e) {
            throw new RunnerException(1, "the replay function answered something that is not JSON: "
                    + invocation.responseText());
        }
    }

    private static Optional<String> option(Cli cli, String name) {
        return Optional.ofNullable(cli.options().get(name));
    }

    private static Optional<LocalDate> date(Cli cli, String name) {
        return option(cli, name).map(text -> {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--" + name + " takes a date like 2026-12-01, not " + text);
            }
        });
    }

    private static int version(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--schema-version takes a whole number, not " + text);
        }
    }

    private static byte[] bytes(ObjectNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
