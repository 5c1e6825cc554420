package dev.rawzone.simulation;

import dev.rawzone.simulation.faults.CrashPlan;
import dev.rawzone.simulation.faults.CrashPoint;
import dev.rawzone.testkit.FaultInjectingProxy;

import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The faults one attempt can meet, chosen by the scenario's random: a crash before or after one of its AWS
 * calls, or answers from the proxy (throttling, 5xx, {@code 409 ConditionalRequestConflict} as two concurrent
 * conditional writes get, a response body cut short, a connection dropped after the call took effect) that the SDK
 * or the code retries and, when they outlast the retries, fail the attempt.
 */
final class Faults {
    /** An AWS call a crash can be placed around. */
    record CrashTarget(String operation, String target) {
    }

    /** Requests the proxy can fault. */
    record Calls(String label, Predicate<FaultInjectingProxy.Request> matches) {
    }

    private final List<CrashTarget> crashes;
    private final List<Calls> calls;

    Faults(List<CrashTarget> crashes, List<Calls> calls) {
        this.crashes = crashes;
        this.calls = calls;
    }

    /** Arms one fault, or none; says which. */
    String inject(Random random, FaultInjectingProxy proxy) {
        int dice = random.nextInt(10);
        if (dice < 5) {
            CrashTarget target = crashes.get(random.nextInt(crashes.size()));
            int nth = random.nextInt(3) == 0 ? 2 + random.nextInt(3) : 1;
            CrashPoint point = new CrashPoint(target.operation(), target.target(), nth,
                    random.nextBoolean() ? CrashPoint.When.BEFORE : CrashPoint.When.AFTER);
            CrashPlan.arm(point);
            return "crash " + point;
        }
        if (dice < 9) {
            Calls target = calls.get(random.nextInt(calls.size()));
            int times = 1 + random.nextInt(4);
            switch (random.nextInt(5)) {
                case 0 -> proxy.fail(target.matches(), times, 503, "SlowDown");
                case 1 -> proxy.fail(target.matches(), times, 500, "InternalError");
                case 2 -> {
                    proxy.fail(target.matches(), times, 409, "ConditionalRequestConflict");
                    return "409 ConditionalRequestConflict x" + times + " " + target.label();
                }
                case 3 -> {
                    proxy.cutBody(target.matches(), times, random.nextInt(200));
                    return "body cut short x" + times + " " + target.label();
                }
                default -> {
                    proxy.dropAfterForwarding(target.matches(), Math.min(times, 2));
                    return "drop after forwarding x" + Math.min(times, 2) + " " + target.label();
                }
            }
            return "5xx x" + times + " " + target.label();
        }
        return "none";
    }

    /** Clears what {@link #inject} armed; tells whether an armed crash fired. */
    static boolean clear(FaultInjectingProxy proxy) {
        proxy.clear();
        return CrashPlan.disarm();
    }
}
