package dev.rawzone.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.read.ReadResult;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.read.RecordReader;
import dev.rawzone.core.read.RecordReaders;
import dev.rawzone.core.read.SourceFormat;
import dev.rawzone.core.read.StrictJson;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaSources;
import dev.rawzone.core.validate.Validation;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Records per second of schema validation alone (issue 11), so that a regression in it shows: {@code --records N}
 * {@code orders} (default 20,000, valid against {@code orders/v1}, as {@link S3IngestBenchmark} generates them) are
 * held in memory as their bytes and as parsed trees, then timed, in this JVM, in {@code --runs} (default 3) rounds
 * of {@code --passes} (default 10) passes over all of them, after one warm-up round:
 * <ul>
 *   <li><b>baseline, parse</b>: {@link StrictJson#readTree} of each record's bytes, as the S3 path parses them;</li>
 *   <li><b>validate</b>: {@link RecordValidator#validate} of each parsed tree against {@code orders/v1};</li>
 *   <li><b>parse + validate</b>: both, as the S3 path does per record.</li>
 * </ul>
 * Rates are per second of the benchmark thread's CPU, not of wall time, so that other work on a shared machine
 * moves them less. Prints the Markdown table for {@code BENCHMARKS.md}: the median round and the range of the rounds. Stops with an
 * error unless every record validates.
 */
public final class ValidationBenchmark {
    private static final long SEED = 20261125L;
    private static final String DATASET = "orders";
    private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

    private interface Pass {
        void run() throws IOException;
    }

    public static void main(String[] args) throws IOException {
        int records = 20_000;
        int runs = 3;
        int passes = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--passes" -> passes = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("usage: ValidationBenchmark [--records N] [--runs N] [--passes N]");
                    System.exit(2);
                }
            }
        }
        List<byte[]> texts = new ArrayList<>();
        List<ObjectNode> trees = new ArrayList<>();
        read(records, texts, trees);
        RecordValidator validator = new RecordValidator(
                new SchemaCatalogue(SchemaSources.fromLocation("classpath:schemas", () -> null)));
        int current = 1;
        int[] invalid = {0};

        Pass parse = () -> {
            for (byte[] text : texts) {
                StrictJson.readTree(text, 0, text.length);
            }
        };
        Pass validate = () -> {
            for (ObjectNode tree : trees) {
                if (!(validator.validate(DATASET, tree, current) instanceof Validation.Valid)) {
                    invalid[0]++;
                }
            }
        };
        Pass both = () -> {
            for (byte[] text : texts) {
                ObjectNode tree = (ObjectNode) StrictJson.readTree(text, 0, text.length);
                if (!(validator.validate(DATASET, tree, current) instanceof Validation.Valid)) {
                    invalid[0]++;
                }
            }
        };
        List<String> names = List.of("baseline: parse (`StrictJson.readTree`)",
                "validate (`RecordValidator`, orders/v1, trees parsed beforehand)", "parse + validate");
        List<Pass> phases = List.of(parse, validate, both);
        double[][] rates = new double[phases.size()][runs];
        for (Pass phase : phases) {
            time(phase, 1);
        }
        for (int run = 0; run < runs; run++) {
            for (int p = 0; p < phases.size(); p++) {
                rates[p][run] = (double) texts.size() * passes / time(phases.get(p), passes);
            }
            System.out.println("[bench] round " + (run + 1) + " done; load average " + HeapMeter.loadAverage());
        }
        if (invalid[0] > 0) {
            System.err.println("CHECK FAILED: " + invalid[0] + " validations found a valid record invalid");
            System.exit(1);
        }
        System.out.println();
        System.out.println("<!-- ValidationBenchmark --records " + texts.size() + " --runs " + runs + " --passes "
                + passes + ", JVM " + System.getProperty("java.runtime.version") + " "
                + ManagementFactory.getRuntimeMXBean().getInputArguments() + " -->");
        System.out.println("| phase | records per CPU second (median of " + runs + ") | range |");
        System.out.println("|---|--:|--:|");
        for (int p = 0; p < phases.size(); p++) {
            double[] sorted = rates[p].clone();
            Arrays.sort(sorted);
            System.out.println(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f–%,.0f |", names.get(p),
                    sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]));
        }
        for (int p = 0; p < phases.size(); p++) {
            double[] sorted = rates[p].clone();
            Arrays.sort(sorted);
            new ResultLine("validation", String.format(Locale.ROOT, "%,d orders in memory", texts.size()),
                    names.get(p), p == 0, ResultLine.figures("records per CPU second", sorted[sorted.length / 2],
                    "records", texts.size())).print();
        }
    }

    private static void read(int records, List<byte[]> texts, List<ObjectNode> trees) throws IOException {
        Path file = Files.createTempFile("rawzone-validation-bench-", ".jsonl.gz");
        try {
            new OrdersFileGenerator(SEED, 1).writeJson(file, records * 600L);
            try (RecordReader reader = RecordReaders.open(SourceFormat.JSON_LINES, Files.newInputStream(file),
                    ReaderLimits.defaults())) {
                for (Optional<ReadResult> next = reader.next(); next.isPresent() && texts.size() < records;
                     next = reader.next()) {
                    ReadResult.Parsed parsed = (ReadResult.Parsed) next.get();
                    texts.add(parsed.text());
                    trees.add(parsed.record());
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Seconds of this thread's CPU, steadier than wall time on a shared machine (all of it runs in this thread). */
    private static double time(Pass pass, int passes) throws IOException {
        long started = THREAD.getCurrentThreadCpuTime();
        for (int i = 0; i < passes; i++) {
            pass.run();
        }
        return (THREAD.getCurrentThreadCpuTime() - started) / 1e9;
    }
}
