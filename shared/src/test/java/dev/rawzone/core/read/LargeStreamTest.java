package dev.rawzone.core.read;

import static dev.rawzone.core.read.ReadFixtures.parsed;
import static dev.rawzone.core.read.ReadFixtures.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Memory stays flat over a ~200 MB object; not timed. */
class LargeStreamTest {

    private static final int RECORDS_BEFORE = 400_000;
    private static final int RECORDS_AFTER = 400_000;
    private static final long OVER_LONG_LINE_BYTES = 120L * 1024 * 1024;
    private static final long HEAP_GROWTH_ALLOWED = 32L * 1024 * 1024;

    @Test
    void everyRecordIsReadWithoutHoldingAnOverLongLine() throws IOException {
        long baseline = usedHeapAfterGc();
        GeneratedJsonLines content = new GeneratedJsonLines();

        long parsedCount = 0;
        try (RecordReader reader = RecordReaders.open(SourceFormat.JSON_LINES, content, ReaderLimits.defaults())) {
            for (Optional<ReadResult> next = reader.next(); next.isPresent(); next = reader.next()) {
                ReadResult result = next.get();
                if (result.line() == content.overLongLine) {
                    ReadResult.Rejected overLong = rejected(result);
                    assertEquals("record exceeds 1048576 bytes", overLong.reason());
                    assertEquals(64 * 1024, overLong.raw().length());
                    continue;
                }
                long id = parsed(result).record().get("id").asLong();
                assertEquals(id < content.overLongLine ? id : id + 1, result.line(), "line of record " + id);
                assertEquals(parsedCount + 1, id, "records in order, none missing");
                parsedCount++;
            }
        }

        assertEquals(RECORDS_BEFORE + RECORDS_AFTER, parsedCount);
        assertTrue(content.bytesServed > 200_000_000L, "served " + content.bytesServed);
        long growth = content.heapInsideOverLongLine - baseline;
        assertTrue(growth < HEAP_GROWTH_ALLOWED, "heap grew by " + growth + " bytes inside the over-long line");
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * JSON Lines made up as they are read: numbered records around one line of {@link #OVER_LONG_LINE_BYTES},
     * measuring the heap three quarters of the way through that line.
     */
    private static final class GeneratedJsonLines extends InputStream {
        final long overLongLine = RECORDS_BEFORE + 1;
        long heapInsideOverLongLine = Long.MAX_VALUE;
        long bytesServed;

        private final byte[] padding = "x".repeat(70).getBytes(StandardCharsets.US_ASCII);
        private long line;
        private byte[] pending = new byte[0];
        private int pendingPosition;
        private long filler;
        private byte[] afterFiller;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            while (true) {
                if (pendingPosition < pending.length) {
                    int n = Math.min(length, pending.length - pendingPosition);
                    System.arraycopy(pending, pendingPosition, buffer, offset, n);
                    pendingPosition += n;
                    return served(n);
                }
                if (filler > 0) {
                    int n = (int) Math.min(length, filler);
                    Arrays.fill(buffer, offset, offset + n, (byte) 'a');
                    filler -= n;
                    if (filler <= OVER_LONG_LINE_BYTES / 4 && heapInsideOverLongLine == Long.MAX_VALUE) {
                        heapInsideOverLongLine = usedHeapAfterGc();
                    }
                    return served(n);
                }
                if (afterFiller != null) {
                    setPending(afterFiller);
                    afterFiller = null;
                } else if (!nextLine()) {
                    return -1;
                }
            }
        }

        private boolean nextLine() {
            line++;
            if (line == overLongLine) {
                setPending("{\"big\":\"".getBytes(StandardCharsets.US_ASCII));
                filler = OVER_LONG_LINE_BYTES;
                afterFiller = "\"}\n".getBytes(StandardCharsets.US_ASCII);
                return true;
            }
            if (line > RECORDS_BEFORE + 1 + RECORDS_AFTER) {
                return false;
            }
            long id = line < overLongLine ? line : line - 1;
            byte[] prefix = ("{\"id\":" + id + ",\"pad\":\"").getBytes(StandardCharsets.US_ASCII);
            byte[] record = Arrays.copyOf(prefix, prefix.length + padding.length + 3);
            System.arraycopy(padding, 0, record, prefix.length, padding.length);
            record[record.length - 3] = '"';
            record[record.length - 2] = '}';
            record[record.length - 1] = '\n';
            setPending(record);
            return true;
        }

        private void setPending(byte[] bytes) {
            pending = bytes;
            pendingPosition = 0;
        }

        private int served(int n) {
            bytesServed += n;
            return n;
        }
    }
}
