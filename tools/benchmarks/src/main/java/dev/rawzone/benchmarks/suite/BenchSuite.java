package dev.rawzone.benchmarks.suite;

import dev.rawzone.benchmarks.ResultLine;
import dev.rawzone.benchmarks.coldstart.TemplateFlags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./ingest bench [--quick] [--only ID,...]}: runs every benchmark (three runs each; one, on small inputs,
 * with {@code --quick}), each in its own JVM under the flags template.yaml gives the function it measures, and
 * rewrites their tables in BENCHMARKS.md between {@code <!-- bench:ID -->} markers, then the cost model from the
 * figures measured. Run from the repository root, or give {@code --root}.
 */
public final class BenchSuite {
    private static final int FULL_RUNS = 3;
    private static final String USAGE = "usage: ingest bench [--quick] [--only "
            + BenchCase.all().stream().map(BenchCase::id).collect(Collectors.joining(",")) + "] [--root DIR]";

    private record Options(boolean quick, Optional<Set<String>> only, Path root) {
        static Options parse(String[] args) {
            boolean quick = false;
            Optional<Set<String>> only = Optional.empty();
            Path root = Path.of("").toAbsolutePath();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--only" -> only = Optional.of(Set.of(value(args, ++i).split(",")));
                    case "--root" -> root = Path.of(value(args, ++i)).toAbsolutePath();
                    case "--help", "-h" -> throw new UsageException(USAGE);
                    default -> throw new UsageException("unknown option " + args[i] + "\n" + USAGE);
                }
            }
            Set<String> known = BenchCase.all().stream().map(BenchCase::id).collect(Collectors.toSet());
            only.ifPresent(ids -> ids.stream().filter(id -> !known.contains(id)).findFirst().ifPresent(id -> {
                throw new UsageException("no benchmark " + id + "\n" + USAGE);
            }));
            return new Options(quick, only, root);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new UsageException("missing value after " + args[i - 1] + "\n" + USAGE);
            }
            return args[i];
        }
    }

    /** A command line this command cannot run: exit 2 with the message. */
    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Exception {
        int exit;
        try {
            exit = run(Options.parse(args)) ? 0 : 1;
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            exit = 2;
        }
        System.exit(exit);
    }

    private static boolean run(Options options) throws IOException, InterruptedException {
        Path root = options.root();
        Path document = root.resolve("BENCHMARKS.md");
        Path template = root.resolve("template.yaml");
        Path jar = root.resolve("tools/benchmarks/target/rawzone-benchmarks.jar");
        BenchProcess process = new BenchProcess(root, jar, root.resolve("tools/benchmarks/target/bench"));
        MachineDescription machine = MachineDescription.of(root);
        int runs = options.quick() ? 1 : FULL_RUNS;
        long suiteStarted = System.nanoTime();
        Map<String, List<List<ResultLine>>> measured = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        System.out.println("bench: " + machine.describe() + (options.quick() ? "; quick: one run each, small inputs" : ""));
        for (BenchCase bench : BenchCase.all()) {
            if (options.only().isPresent() && !options.only().get().contains(bench.id())) {
                continue;
            }
            String flags = bench.function().isPresent() ? TemplateFlags.javaToolOptions(template, bench.function().get()) : "";
            List<String> command = process.command(bench, flags, options.quick());
            List<List<ResultLine>> results = new ArrayList<>();
            long started = System.nanoTime();
            String loadBefore = loadAverage();
            try {
                for (int run = 1; run <= runs; run++) {
                    System.out.printf(Locale.ROOT, "bench: %s, run %d of %d%n", bench.simpleName(), run, runs);
                    results.add(process.run(bench, command, run));
                }
            } catch (IllegalStateException e) {
                System.out.println("bench: FAILED: " + e.getMessage());
                failed.add(bench.id());
                continue;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "bench: %s done in %.0f s%n", bench.simpleName(), seconds);
            measured.put(bench.id(), results);
            String load = "load average " + loadBefore + " at the start, " + loadAverage() + " at the end";
            String body = heading(bench, machine, flags, command, runs, options.quick(), seconds, load) + "\n\n"
                    + ResultTable.markdown(results, bench.primaryFigure(), bench.inputsOnly());
            rewrite(document, bench.id(), body);
        }
        if (measured.containsKey("s3") && measured.containsKey("stream")) {
            TemplateSettings settings = TemplateSettings.read(template);
            String body = "_Computed by `./ingest bench" + (options.quick() ? " --quick" : "") + "` at " + now()
                    + " from the medians of the S3, resume and Kinesis tables above (same run)._\n\n"
                    + CostModel.markdown(Optional.of(streamInputs(measured.get("stream"), settings)),
                    Optional.of(s3Inputs(measured.get("s3"), Optional.ofNullable(measured.get("resume")), settings)));
            rewrite(document, "cost", body);
        }
        System.out.printf(Locale.ROOT, "bench: %d benchmark(s) in %.0f s; %s rewritten%s%n", measured.size(),
                (System.nanoTime() - suiteStarted) / 1e9, document,
                failed.isEmpty() ? "" : "; FAILED: " + String.join(", ", failed) + " (their tables are left as they were)");
        return failed.isEmpty();
    }

    private static void rewrite(Path document, String id, String body) throws IOException {
        String text = Files.exists(document) ? Files.readString(document, StandardCharsets.UTF_8) : "";
        Files.writeString(document, MarkedSections.replace(text, id, body), StandardCharsets.UTF_8);
    }

    static String heading(BenchCase bench, MachineDescription machine, String flags, List<String> command, int runs,
                          boolean quick, double seconds, String load) {
        List<String> arguments = command.subList(command.indexOf(bench.mainClass()) + 1, command.size());
        String jvm = "-Xmx" + bench.heap() + (flags.isBlank() ? "" : " " + flags);
        String whose = bench.function().map(f -> " (`JAVA_TOOL_OPTIONS` of " + f + " in template.yaml)")
                .orElse(" (the benchmark starts each function with its template flags)");
        return String.format(Locale.ROOT, "_Generated by `./ingest bench%s` at %s in %.0f s (%s): %s. %s._%n%n"
                        + "`%s %s` under `%s`%s.", quick ? " --quick" : "", now(), seconds, load, machine.describe(),
                runs == 1 ? "One run" : runs + " runs, each cell the median (min–max)", bench.simpleName(),
                String.join(" ", arguments), jvm, whose).replace("` `", "`").replace(" ` under", "` under");
    }

    /** The 1-minute load average: on a shared machine, what the wall times were measured beside. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }

    static CostModel.StreamInputs streamInputs(List<List<ResultLine>> runs, TemplateSettings settings) {
        String handler = "StreamIngestHandler into the emulator";
        int batchSize = settings.parameterDefault("StreamBatchSize");
        String calls = "batch size " + batchSize;
        Map<String, Double> perOperation = new LinkedHashMap<>();
        runs.get(0).stream().filter(l -> l.phase().equals(calls)).findFirst().orElseThrow(() ->
                        new IllegalStateException("StreamIngestBenchmark measured no " + calls))
                .figures().keySet().stream().filter(f -> f.endsWith(" per record") && !f.equals("calls per record"))
                .forEach(f -> perOperation.put(f.substring(0, f.length() - " per record".length()),
                        median(runs, calls, f)));
        return new CostModel.StreamInputs(median(runs, handler, "CPU JVM ms a batch"), median(runs, handler, "records"),
                median(runs, handler, "bytes") / median(runs, handler, "records"), perOperation, batchSize,
                settings.memorySizeMb("StreamIngestFunction"));
    }

    static CostModel.S3Inputs s3Inputs(List<List<ResultLine>> runs, Optional<List<List<ResultLine>>> resume,
                                       TemplateSettings settings) {
        String ingest = "ingest: `S3ObjectIngester.ingest`";
        return new CostModel.S3Inputs(median(runs, ingest, "CPU JVM s"), median(runs, ingest, "gzip MiB"),
                median(runs, ingest, "JSON Lines MiB"), median(runs, ingest, "records"),
                median(runs, ingest, "PUT requests"),
                resume.map(r -> median(r, "skip N records", "MiB/s JSON Lines")),
                settings.memorySizeMb("S3IngestFunction"), settings.timeoutSeconds("S3IngestFunction"));
    }

    /** The median over the runs of a figure of the phase named so (in whichever group it is). */
    static double median(List<List<ResultLine>> runs, String phase, String figure) {
        List<Double> values = runs.stream().flatMap(List::stream)
                .filter(l -> l.phase().equals(phase) && l.figures().containsKey(figure))
                .map(l -> l.figures().get(figure)).toList();
        if (values.isEmpty()) {
            throw new IllegalStateException("no figure " + figure + " for " + phase + " in "
                    + Arrays.toString(runs.stream().flatMap(List::stream).map(ResultLine::phase).distinct().toArray()));
        }
        return Spread.of(values).median();
    }
}
