package dev.rawzone.benchmarks;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a gzip JSON Lines file of {@code orders} records (valid against {@code orders/v1}) straight to disk, one
 * record at a time, until the compressed file reaches a target size. Deterministic for a given seed. Besides the
 * required fields each record carries items, an address and a free-text note of words drawn from a made-up
 * vocabulary, so the file compresses like real exports (about 3-5x) rather than absurdly well.
 */
final class OrdersFileGenerator {

    /** What was written. Sizes in bytes. */
    record Generated(Path path, long compressedBytes, long uncompressedBytes, long records) {
    }

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "JPY", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK"};
    private static final String[] CHANNELS = {"web", "app-ios", "app-android", "store", "phone", "partner"};
    private static final String[] STATUSES = {"placed", "paid", "packed", "shipped", "delivered", "returned"};
    private static final String[] SYLLABLES = {"ka", "lo", "mer", "un", "sta", "vi", "den", "or", "pa", "ri", "sel",
            "to", "gra", "na", "bel", "quo", "zen", "fa", "dri", "mo", "tes", "lu", "har", "en", "cor", "pi", "ves",
            "al", "bro", "ni", "tak", "ey"};
    private static final int VOCABULARY_WORDS = 4096;
    private static final long FIRST_ORDER_SECOND = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    private static final int FILE_BUFFER_BYTES = 1 << 20;
    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final String[] vocabulary;
    private final String[] cities;
    private final SplittableRandom random;
    private final int gzipLevel;

    /** @param gzipLevel the deflate level, 1 (fastest) to 9; 6 is what gzip and most exporters use */
    OrdersFileGenerator(long seed, int gzipLevel) {
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzip level must be 1..9, was " + gzipLevel);
        }
        this.gzipLevel = gzipLevel;
        SplittableRandom words = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.vocabulary = new String[VOCABULARY_WORDS];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = word(words, 1 + words.nextInt(4));
        }
        this.cities = new String[300];
        for (int i = 0; i < cities.length; i++) {
            String name = word(words, 2 + words.nextInt(2));
            cities[i] = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }
        this.random = new SplittableRandom(seed);
    }

    /** Writes records to {@code path} until the compressed file holds at least {@code targetCompressedBytes}. */
    Generated write(Path path, long targetCompressedBytes) throws IOException {
        return write(path, targetCompressedBytes, Long.MAX_VALUE);
    }

    /** Writes records to {@code path} until their JSON Lines (uncompressed) hold at least {@code targetJsonBytes}. */
    Generated writeJson(Path path, long targetJsonBytes) throws IOException {
        return write(path, Long.MAX_VALUE, targetJsonBytes);
    }

    /**
     * Writes one gzip member of at least {@code memberCompressedBytes}, then appends copies of it until the file holds
     * at least {@code targetCompressedBytes}: a multi-member gzip file (RFC 1952, read as one stream by gunzip and
     * by the JDK) whose records repeat, for objects too large to generate record by record in reasonable time.
     */
    Generated writeRepeated(Path path, long memberCompressedBytes, long targetCompressedBytes) throws IOException {
        Path member = path.resolveSibling(path.getFileName() + ".member");
        try {
            Generated one = write(member, memberCompressedBytes, Long.MAX_VALUE);
            long copies = 0;
            try (OutputStream out = Files.newOutputStream(path)) {
                do {
                    Files.copy(member, out);
                    copies++;
                } while (copies * one.compressedBytes() < targetCompressedBytes);
            }
            return new Generated(path, Files.size(path), copies * one.uncompressedBytes(), copies * one.records());
        } finally {
            Files.deleteIfExists(member);
        }
    }

    private Generated write(Path path, long targetCompressedBytes, long targetJsonBytes) throws IOException {
        CountingOutputStream file = new CountingOutputStream(
                new BufferedOutputStream(Files.newOutputStream(path), FILE_BUFFER_BYTES));
        long uncompressed = 0;
        long records = 0;
        StringBuilder line = new StringBuilder(512);
        try (GZIPOutputStream gzip = new LeveledGzipOutputStream(file, gzipLevel)) {
            while (file.count < targetCompressedBytes && uncompressed < targetJsonBytes) {
                records++;
                line.setLength(0);
                appendRecord(line, records);
                byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
                gzip.write(bytes);
                uncompressed += bytes.length;
            }
        }
        return new Generated(path, Files.size(path), uncompressed, records);
    }

    private void appendRecord(StringBuilder out, long n) {
        long second = FIRST_ORDER_SECOND + n * 2 + random.nextInt(2);
        int millis = random.nextInt(1000);
        int itemCount = 1 + random.nextInt(4);
        long amountCents = 0;
        out.append("{\"order_id\":\"ord-").append(n)
                .append("\",\"customer_id\":\"cus-").append(100_000 + random.nextInt(900_000))
                .append("\",\"created_at\":\"").append(Instant.ofEpochSecond(second, millis * 1_000_000L))
                .append("\",\"currency\":\"").append(pick(CURRENCIES))
                .append("\",\"channel\":\"").append(pick(CHANNELS))
                .append("\",\"status\":\"").append(pick(STATUSES))
                .append("\",\"items\":[");
        for (int i = 0; i < itemCount; i++) {
            int quantity = 1 + random.nextInt(5);
            int unitCents = 99 + random.nextInt(25_000);
            amountCents += (long) quantity * unitCents;
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"sku\":\"SKU-").append(10_000 + random.nextInt(90_000))
                    .append("\",\"qty\":").append(quantity)
                    .append(",\"unit_price\":");
            cents(out, unitCents);
            out.append('}');
        }
        out.append("],\"amount\":");
        cents(out, amountCents);
        out.append(",\"shipping\":{\"city\":\"").append(pick(cities))
                .append("\",\"postcode\":\"").append(10_000 + random.nextInt(90_000))
                .append("\"},\"note\":\"");
        int words = 6 + random.nextInt(18);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(vocabulary[random.nextInt(vocabulary.length)]);
        }
        out.append("\"}\n");
    }

    private static void cents(StringBuilder out, long cents) {
        out.append(cents / 100).append('.');
        long rest = cents % 100;
        if (rest < 10) {
            out.append('0');
        }
        out.append(rest);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String word(SplittableRandom random, int syllables) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        return word.toString();
    }

    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER_BYTES);
            def.setLevel(level);
        }
    }

    /** Counts the compressed bytes that reach the file. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
