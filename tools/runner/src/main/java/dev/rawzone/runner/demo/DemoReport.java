package dev.rawzone.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.accounting.Counts;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The rows the steps add, printed as one table of counts. */
public final class DemoReport {
    /** One source unit (an object, a shard, a page) and what the function did with its records. */
    public record Row(String source, String label, long in, long written, long quarantined, long duplicates, long failed,
                      String outcome) {
        static Row of(String source, String label, JsonNode counts, String outcome) {
            Counts c = Counts.fromJson(counts);
            return new Row(source, label, c.in(), c.written(), c.quarantined(), c.duplicates(), c.failed(), outcome);
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private int failedInvocations;

    public void add(Row row) {
        rows.add(row);
    }

    public void invocationFailed() {
        failedInvocations++;
    }

    public int failedInvocations() {
        return failedInvocations;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public void print(PrintStream out) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"source", "object / unit", "in", "written", "quarantined", "duplicates", "failed", "outcome"});
        long[] total = new long[5];
        for (Row row : rows) {
            long[] values = {row.in(), row.written(), row.quarantined(), row.duplicates(), row.failed()};
            for (int i = 0; i < 5; i++) {
                total[i] += values[i];
            }
            table.add(new String[] {row.source(), row.label(), str(values[0]), str(values[1]), str(values[2]),
                    str(values[3]), str(values[4]), row.outcome()});
        }
        table.add(new String[] {"", "total", str(total[0]), str(total[1]), str(total[2]), str(total[3]), str(total[4]), ""});
        int[] widths = new int[8];
        for (String[] line : table) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].codePointCount(0, line[i].length()));
            }
        }
        for (int r = 0; r < table.size(); r++) {
            String[] line = table.get(r);
            StringBuilder text = new StringBuilder("  ");
            for (int i = 0; i < line.length; i++) {
                boolean number = i >= 2 && i <= 6;
                int pad = widths[i] - line[i].codePointCount(0, line[i].length());
                if (number) {
                    text.append(" ".repeat(pad)).append(line[i]);
                } else {
                    text.append(line[i]).append(i == line.length - 1 ? "" : " ".repeat(pad));
                }
                text.append(i == line.length - 1 ? "" : "  ");
            }
            out.println(text.toString().stripTrailing());
            if (r == 0 || r == table.size() - 2) {
                out.println("  " + "-".repeat(sum(widths) + 2 * (widths.length - 1)));
            }
        }
    }

    private static int sum(int[] values) {
        int s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }

    private static String str(long value) {
        return Long.toString(value);
    }
}
