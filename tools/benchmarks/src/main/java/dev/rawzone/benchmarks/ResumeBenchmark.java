package dev.rawzone.benchmarks;

import dev.rawzone.core.read.Decompression;
import dev.rawzone.core.read.ReadProgress;
import dev.rawzone.core.read.ReadResult;
import dev.rawzone.core.read.ReaderLimits;
import dev.rawzone.core.read.RecordReader;
import dev.rawzone.core.read.RecordReaders;
import dev.rawzone.core.read.SourceFormat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a continuation pays to pass over the records earlier invocations read: {@link RecordReader#skipTo} over
 * N records of a gzip JSON Lines file, beside, in the same run, gunzipping the same file and discarding the bytes
 * (the floor) and reading it record by record (split + parse, what the skip avoids). Three runs of each, from a
 * local file, so that S3 does not blur the comparison. {@code --mib N} sets the JSON Lines size (default 256).
 */
public final class ResumeBenchmark {
    private static final long MIB = 1024 * 1024;
    private static final int RUNS = 3;

    private ResumeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length == 2 && args[0].equals("--mib") ? Long.parseLong(args[1]) : 256;
        Path file = Files.createTempFile("rawzone-resume", ".jsonl.gz");
        try {
            OrdersFileGenerator.Generated generated = new OrdersFileGenerator(20261125L, 6).writeJson(file, mib * MIB);
            ReadProgress end = new ReadProgress(generated.records(), generated.uncompressedBytes());
            System.out.printf("%d records, %s of JSON Lines, %s gzip; %d runs of each, in turn%n",
                    generated.records(), S3IngestBenchmark.mib(generated.uncompressedBytes()),
                    S3IngestBenchmark.mib(generated.compressedBytes()), RUNS);
            List<Figure> figures = List.of(new Figure("gunzip only (baseline)"), new Figure("skip N records"),
                    new Figure("split + parse N records"));
            for (int run = 0; run < RUNS; run++) {
                figures.get(0).time(file, ResumeBenchmark::gunzip, generated.uncompressedBytes());
                figures.get(1).time(file, in -> skip(in, end), generated.records());
                figures.get(2).time(file, ResumeBenchmark::parse, generated.records());
            }
            double baseline = figures.get(0).median();
            System.out.println("| what | median s | spread s (min-max) | MiB/s of JSON Lines | vs baseline |");
            System.out.println("|---|---|---|---|---|");
            for (Figure figure : figures) {
                System.out.printf("| %s | %.2f | %.2f-%.2f | %.0f | %.2fx |%n", figure.name, figure.median(),
                        figure.min(), figure.max(), generated.uncompressedBytes() / (double) MIB / figure.median(),
                        figure.median() / baseline);
            }
            String group = String.format(Locale.ROOT, "%,d records, %.0f MiB JSON Lines", generated.records(),
                    generated.uncompressedBytes() / (double) MIB);
            for (Figure figure : figures) {
                new ResultLine("resume", group, figure.name, figure == figures.get(0), ResultLine.figures(
                        "seconds", figure.median(),
                        "MiB/s JSON Lines", generated.uncompressedBytes() / (double) MIB / figure.median())).print();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long gunzip(InputStream raw) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream content = Decompression.open(raw)) {
            for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
                total += read;
            }
        }
        return total;
    }

    private static long skip(InputStream raw, ReadProgress end) throws IOException {
        try (RecordReader reader = RecordReaders.open(SourceFormat.JSON_LINES, raw, ReaderLimits.defaults())) {
            reader.skipTo(end);
            return reader.progress().lines();
        }
    }

    private static long parse(InputStream raw) throws IOException {
        long parsed = 0;
        try (RecordReader reader = RecordReaders.open(SourceFormat.JSON_LINES, raw, ReaderLimits.defaults())) {
            for (Optional<ReadResult> next = reader.next(); next.isPresent(); next = reader.next()) {
                parsed += next.get() instanceof ReadResult.Parsed ? 1 : 0;
            }
        }
        return parsed;
    }

    @FunctionalInterface
    private interface Pass {
        long over(InputStream raw) throws IOException;
    }

    private static final class Figure {
        private final String name;
        private final List<Double> seconds = new ArrayList<>();

        Figure(String name) {
            this.name = name;
        }

        void time(Path file, Pass pass, long expected) throws IOException {
            long started = System.nanoTime();
            long counted;
            try (InputStream raw = Files.newInputStream(file)) {
                counted = pass.over(raw);
            }
            seconds.add(S3IngestBenchmark.seconds(System.nanoTime() - started));
            if (counted != expected) {
                throw new IllegalStateException(name + " counted " + counted + ", expected " + expected);
            }
        }

        double median() {
            double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[sorted.length / 2];
        }

        double min() {
            return seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        double max() {
            return seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
    }
}
