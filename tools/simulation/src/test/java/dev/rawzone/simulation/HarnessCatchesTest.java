package dev.rawzone.simulation;

import dev.rawzone.simulation.audit.ObjectText;
import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.simulation.faults.CrashPoint;
import dev.rawzone.simulation.faults.SimulatedCrash;
import dev.rawzone.testkit.Emulator;
import dev.rawzone.core.config.AwsClients;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness's own parts: a crash stops a real SDK call where it is placed; damaged objects read as far as they go. */
class HarnessCatchesTest {

    @Test
    void aCrashAfterACallLeavesItsEffectAndACrashBeforeLeavesNone() {
        try (Emulator emulator = Emulator.start()) {
            S3Client s3 = new AwsClients(emulator.environment()).s3();
            s3.createBucket(b -> b.bucket("harness-bucket"));
            CrashPlan.arm(new CrashPoint("PutObject", "raw/", 1, CrashPoint.When.AFTER));
            assertThrows(SimulatedCrash.class, () -> s3.putObject(p -> p.bucket("harness-bucket").key("raw/after"),
                    RequestBody.fromString("x")));
            assertTrue(CrashPlan.disarm(), "the armed point was reached");
            CrashPlan.arm(new CrashPoint("PutObject", "raw/", 2, CrashPoint.When.BEFORE));
            s3.putObject(p -> p.bucket("harness-bucket").key("raw/first"), RequestBody.fromString("x"));
            s3.putObject(p -> p.bucket("harness-bucket").key("other/not-counted"), RequestBody.fromString("x"));
            assertThrows(SimulatedCrash.class, () -> s3.putObject(p -> p.bucket("harness-bucket").key("raw/before"),
                    RequestBody.fromString("x")));
            CrashPlan.disarm();
            assertEquals(java.util.List.of("other/not-counted", "raw/after", "raw/first"),
                    s3.listObjectsV2(l -> l.bucket("harness-bucket")).contents().stream().map(o -> o.key()).toList());
        }
    }

    @Test
    void anUnreachedPointDoesNotFire() {
        CrashPlan.arm(new CrashPoint("CopyObject", "quarantine/", 1, CrashPoint.When.BEFORE));
        assertFalse(CrashPlan.disarm());
    }

    @Test
    void objectTextKeepsPlainBytesAfterTheLastMemberAndStopsAtACut() throws IOException {
        byte[] member = gzip("a\nb\n");
        byte[] withTail = concat(concat(member, gzip("c\n")), "d\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("a\nb\nc\nd\n".getBytes(StandardCharsets.UTF_8), ObjectText.readable(withTail));
        byte[] big = gzip("line\n".repeat(5000));
        String cut = new String(ObjectText.readable(Arrays.copyOf(big, big.length / 2)), StandardCharsets.UTF_8);
        assertTrue(cut.startsWith("line\nline\n") && cut.length() < 25000, "read as far as the cut");
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
