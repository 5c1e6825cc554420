package dev.rawzone.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Lambda's execution environments for one function: an invocation runs in a warm one (built earlier, with the
 * configuration it read then) or a cold one built now. A crash ends the environment it happened in.
 */
final class Containers<H> {
    private final Supplier<H> coldStart;
    private final List<H> warm = new ArrayList<>();

    Containers(Supplier<H> coldStart) {
        this.coldStart = coldStart;
    }

    H pick(Random random) {
        if (warm.isEmpty() || random.nextInt(6) == 0) {
            H fresh = coldStart.get();
            warm.add(fresh);
            return fresh;
        }
        return warm.get(random.nextInt(warm.size()));
    }

    void crashed(H container) {
        warm.remove(container);
    }
}
