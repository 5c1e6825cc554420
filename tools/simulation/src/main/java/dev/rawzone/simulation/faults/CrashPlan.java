package dev.rawzone.simulation.faults;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The crash armed for the invocation under way in this thread, if any (the sources' scenarios run side by side, one
 * thread each, and a synchronous SDK call runs its interceptors in the calling thread). Threads the invocation
 * starts (the S3 ingest's part publisher) inherit it, so a crash planned at a part's PUT fires there too. {@link CrashInterceptor}
 * reports every AWS call here; the harness arms a point before invoking a handler and disarms it after, so its own
 * setup and audit calls never crash.
 */
public final class CrashPlan {
    private static final InheritableThreadLocal<CrashPlan> ARMED = new InheritableThreadLocal<>();
    /** Per call and target, how often a crash was armed there and how often one fired, over this JVM's scenarios. */
    private static final Map<String, Reach> REACH = new ConcurrentHashMap<>();

    private final CrashPoint point;
    private final AtomicInteger seen = new AtomicInteger();
    private volatile boolean fired;

    private CrashPlan(CrashPoint point) {
        this.point = point;
    }

    public static void arm(CrashPoint point) {
        reach(point).armed.incrementAndGet();
        ARMED.set(new CrashPlan(point));
    }

    /**
     * The calls and targets a crash was armed at {@code atLeast} times or more without ever firing: a fault the
     * scenarios only appear to inject (a call the code no longer makes, or makes where no interceptor sees it).
     */
    public static List<String> armedButNeverReached(int atLeast) {
        return REACH.entrySet().stream()
                .filter(entry -> entry.getValue().armed.get() >= atLeast && entry.getValue().fired.get() == 0)
                .map(entry -> entry.getKey() + " (armed " + entry.getValue().armed.get() + " times)")
                .sorted().toList();
    }

    /** Disarms; tells whether the armed point was reached (an invocation may make fewer calls than planned). */
    public static boolean disarm() {
        CrashPlan plan = ARMED.get();
        ARMED.remove();
        return plan != null && plan.fired;
    }


    static void reached(String operation, String target, CrashPoint.When when) {
        CrashPlan plan = ARMED.get();
        if (plan == null || plan.fired || !plan.point.matches(operation, target)) {
            return;
        }
        int count = when == CrashPoint.When.BEFORE ? plan.seen.incrementAndGet() : plan.seen.get();
        if (count == plan.point.nth() && when == plan.point.when()) {
            plan.fired = true;
            reach(plan.point).fired.incrementAndGet();
            throw new SimulatedCrash(plan.point.toString());
        }
    }

    private static Reach reach(CrashPoint point) {
        return REACH.computeIfAbsent(point.operation() + " " + point.target(), key -> new Reach());
    }

    private static final class Reach {
        final AtomicInteger armed = new AtomicInteger();
        final AtomicInteger fired = new AtomicInteger();
    }
}
