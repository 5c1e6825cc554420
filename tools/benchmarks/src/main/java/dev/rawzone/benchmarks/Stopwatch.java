package dev.rawzone.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * Wall time and processor time since it was started: of this JVM (every thread: the measured path, its helper
 * threads, GC and JIT) and of the processes it started (the emulator). On a machine shared with other work the wall
 * time of a phase varies with the load; its processor time much less, so they are reported side by side.
 */
final class Stopwatch {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final long wallStart = System.nanoTime();
    private final long cpuStart = OS.getProcessCpuTime();
    private final long childCpuStart = HeapMeter.childCpuNanos();

    /** A measured phase: wall seconds, this JVM's processor seconds, the emulator's processor seconds. */
    record Lap(double seconds, double cpuSeconds, double emulatorCpuSeconds) {
    }

    static Stopwatch start() {
        return new Stopwatch();
    }

    Lap lap() {
        return new Lap((System.nanoTime() - wallStart) / 1e9, (OS.getProcessCpuTime() - cpuStart) / 1e9,
                (HeapMeter.childCpuNanos() - childCpuStart) / 1e9);
    }
}
