package dev.rawzone.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap and GC of this JVM over one phase at a time, three ways: the peaks the heap pools record themselves
 * (reset at the start of the phase, summed at its end; an upper bound, since pools peak at different moments),
 * the highest {@code used} heap seen by a daemon thread sampling every {@code interval}, and the highest heap
 * left after any collection during the phase (what the phase really keeps live, plus garbage not yet reclaimed).
 * Also the processor time of this JVM and of its child processes (the emulator).
 */
final class HeapMeter implements AutoCloseable {

    /** What one phase used. Bytes, nanoseconds and milliseconds. */
    record Reading(long wallNanos, long poolPeakSum, Map<String, Long> poolPeaks, long sampledMax, long afterGcMax,
                   long gcCount, long gcMillis, long jvmCpuNanos, long childCpuNanos, String loadAverage,
                   long childRssBytes, long afterFullGcMax) {
    }

    /**
     * A young collection leaves the old generation as it was, dead parts and all (serial GC's "max after a GC" is
     * mostly that); only what a full collection leaves is what the phase really holds.
     */
    private static final String FULL_GC = "end of major GC";

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final AtomicLong sampledMax = new AtomicLong();
    private final AtomicLong afterGcMax = new AtomicLong(-1);
    private final AtomicLong afterFullGcMax = new AtomicLong(-1);
    private final NotificationListener gcListener = this::onGc;
    private final Thread sampler;
    private volatile boolean running = true;

    HeapMeter(Duration interval) {
        for (GarbageCollectorMXBean collector : collectors) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(gcListener, null, null);
            }
        }
        sampler = new Thread(() -> {
            while (running) {
                sampledMax.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Collects what earlier phases left, then starts measuring. */
    Phase begin() {
        System.gc();
        pause(300); // lets the notification of that collection arrive before the phase's figures are reset
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        afterGcMax.set(-1);
        afterFullGcMax.set(-1);
        sampledMax.set(memory.getHeapMemoryUsage().getUsed());
        return new Phase(gcCount(), gcMillis(), os.getProcessCpuTime(), childCpuNanos(), System.nanoTime());
    }

    final class Phase {
        private final long gcCount;
        private final long gcMillis;
        private final long jvmCpu;
        private final long childCpu;
        private final long started;

        private Phase(long gcCount, long gcMillis, long jvmCpu, long childCpu, long started) {
            this.gcCount = gcCount;
            this.gcMillis = gcMillis;
            this.jvmCpu = jvmCpu;
            this.childCpu = childCpu;
            this.started = started;
        }

        Reading end() {
            long wall = System.nanoTime() - started;
            long jvmCpuNow = os.getProcessCpuTime();
            long childCpuNow = childCpuNanos();
            sampledMax.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            Map<String, Long> peaks = new LinkedHashMap<>();
            long sum = 0;
            for (MemoryPoolMXBean pool : heapPools) {
                long peak = pool.getPeakUsage().getUsed();
                peaks.put(pool.getName(), peak);
                sum += peak;
            }
            pause(300); // the notification of a collection at the very end may still be on its way
            return new Reading(wall, sum, peaks, sampledMax.get(), afterGcMax.get(), gcCount() - gcCount,
                    gcMillis() - gcMillis, jvmCpuNow - jvmCpu, childCpuNow - childCpu, loadAverage(), childRssBytes(),
                    afterFullGcMax.get());
        }
    }

    private void onGc(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        Map<String, MemoryUsage> after = info.getGcInfo().getMemoryUsageAfterGc();
        long used = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage usage = after.get(pool.getName());
            if (usage != null) {
                used += usage.getUsed();
            }
        }
        afterGcMax.accumulateAndGet(used, Math::max);
        if (FULL_GC.equals(info.getGcAction())) {
            afterFullGcMax.accumulateAndGet(used, Math::max);
        }
    }

    private long gcCount() {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(n -> n > 0).sum();
    }

    private long gcMillis() {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(n -> n > 0).sum();
    }

    /** Processor time of the processes this JVM started (moto_server), as far as the OS reports it. */
    static long childCpuNanos() {
        return ProcessHandle.current().descendants()
                .mapToLong(child -> child.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }

    /** The 1-, 5- and 15-minute load averages of the machine (Linux), to show what else was running. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** Resident memory of the processes this JVM started (moto_server keeps objects in memory), Linux only. */
    static long childRssBytes() {
        return ProcessHandle.current().descendants().mapToLong(child -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(child.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone or not Linux
            }
            return 0;
        }).sum();
    }

    String describeHeap() {
        StringBuilder out = new StringBuilder("max heap " + memory.getHeapMemoryUsage().getMax() / (1024 * 1024)
                + " MiB; collectors");
        collectors.forEach(c -> out.append(' ').append('"').append(c.getName()).append('"'));
        out.append("; heap pools");
        heapPools.forEach(p -> out.append(' ').append('"').append(p.getName()).append('"'));
        return out.toString();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        for (GarbageCollectorMXBean collector : collectors) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(gcListener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // never added
                }
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
