package dev.rawzone.runner.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The demo's sample objects for the two datasets: {@code orders} (JSON Lines under {@code orders/}: order_id,
 * customer_id, amount, currency, created_at) and {@code customers} (CSV under {@code customers/}: customer_id, name,
 * email, country). Each carries the kinds of trouble the pipeline must account for.
 */
public final class SampleData {
    /** One object to put in the landing bucket. */
    public record SampleObject(String key, byte[] bytes, String description) {}

    private SampleData() {}

    public static List<SampleObject> objects() {
        String orders = String.join("\n",
                order("o-1001", "c-001", "42.50", "EUR", "2026-11-25T08:01:12Z"),
                order("o-1002", "c-002", "19.99", "USD", "2026-11-25T08:03:40Z"),
                order("o-1003", "c-003", "5", "GBP", "2026-11-25T08:04:02Z"),
                "{\"order_id\": \"o-1004\", \"customer_id\": \"c-001\", \"amount\": 12.0, ",
                "{\"order_id\":\"o-1005\",\"customer_id\":\"c-004\",\"amount\":\"abc\",\"currency\":\"EUR\",\"created_at\":\"2026-11-25T08:07:00Z\"}",
                "{\"order_id\":\"o-1006\",\"amount\":7.25,\"currency\":\"EUR\",\"created_at\":\"2026-11-25T08:09:30Z\"}",
                order("o-1007", "c-005", "120.00", "CHF", "2026-11-25T08:11:45Z")) + "\n";
        String customers = String.join("\n",
                "customer_id,name,email,country",
                "c-001,Ada Lovelace,ada@example.com,GB",
                "c-002,Grace Hopper,grace@example.com,US",
                "c-003,Alan Turing,alan@example.com",
                "c-004,Edsger Dijkstra,edsger@example.com,NL",
                "c-005,Barbara Liskov,barbara@example.com,US") + "\n";
        byte[] late = gzip(String.join("\n",
                order("o-2001", "c-002", "3.10", "USD", "2026-11-25T23:58:00Z"),
                order("o-2002", "c-003", "8.00", "GBP", "2026-11-25T23:59:10Z"),
                order("o-2003", "c-001", "64.00", "EUR", "2026-11-25T23:59:59Z")) + "\n");
        byte[] truncated = Arrays.copyOf(late, late.length / 2);
        String awkward = String.join("\n",
                order("o-3001", "c-004", "9.99", "EUR", "2026-11-25T12:00:00Z"),
                order("o-3002", "c-005", "1.00", "USD", "2026-11-25T12:00:01Z")) + "\n";
        return List.of(
                new SampleObject("orders/2026/11/25/orders-0001.jsonl", utf8(orders),
                        "JSON Lines: 4 good rows, 1 bad JSON, 1 amount \"abc\", 1 without customer_id"),
                new SampleObject("customers/2026/11/25/customers-0001.csv.gz", gzip(customers),
                        "gzip CSV: 4 good rows, 1 with a missing field"),
                new SampleObject("orders/2026/11/25/orders-0002.jsonl.gz", truncated,
                        "gzip JSON Lines cut off halfway, like an interrupted upload"),
                new SampleObject("orders/2026/11/25/late night+rush é.jsonl", utf8(awkward),
                        "JSON Lines under a key with spaces, a plus and an accent"));
    }

    private static String order(String id, String customer, String amount, String currency, String createdAt) {
        return "{\"order_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"amount\":" + amount
                + ",\"currency\":\"" + currency + "\",\"created_at\":\"" + createdAt + "\"}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(utf8(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
