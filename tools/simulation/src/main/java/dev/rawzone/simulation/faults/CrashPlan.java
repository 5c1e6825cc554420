package dev.rawzone.simulation.faults;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The crash armed for the invocation under way, if any. {@link CrashInterceptor} reports every AWS call here;
 * the harness arms a point before invoking a handler and disarms it after, so its own setup and audit calls
 * never crash.
 */
public final class CrashPlan {
    private static final AtomicReference<CrashPlan> ARMED = new AtomicReference<>();

    private final CrashPoint point;
    private final AtomicInteger seen = new AtomicInteger();
    private volatile boolean fired;

    private CrashPlan(CrashPoint point) {
        this.point = point;
    }

    public static void arm(CrashPoint point) {
        ARMED.set(new CrashPlan(point));
    }

    /** Disarms; tells whether the armed point was reached (an invocation may make fewer calls than planned). */
    public static boolean disarm() {
        CrashPlan plan = ARMED.getAndSet(null);
        return plan != null && plan.fired;
    }

    public static Optional<CrashPoint> armed() {
        return Optional.ofNullable(ARMED.get()).map(plan -> plan.point);
    }

    static void reached(String operation, String target, CrashPoint.When when) {
        CrashPlan plan = ARMED.get();
        if (plan == null || plan.fired || !plan.point.matches(operation, target)) {
            return;
        }
        int count = when == CrashPoint.When.BEFORE ? plan.seen.incrementAndGet() : plan.seen.get();
        if (count == plan.point.nth() && when == plan.point.when()) {
            plan.fired = true;
            throw new SimulatedCrash(plan.point.toString());
        }
    }
}
