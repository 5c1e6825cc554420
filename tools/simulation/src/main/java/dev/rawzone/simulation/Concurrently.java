package dev.rawzone.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Two invocations of one source unit at the same moment, in two containers (two threads started together), as
 * Lambda may run a re-delivered event while the first delivery still runs. No fault is armed meanwhile; the
 * interleaving is the one place a seed does not fix, so the invariants must hold for whichever happens.
 */
final class Concurrently {
    private Concurrently() {
    }

    /** Runs both and returns what each returned, or the exception it ended with. */
    static <T> List<Object> run(Supplier<T> first, Supplier<T> second) {
        CountDownLatch start = new CountDownLatch(1);
        List<Object> results = new ArrayList<>(List.of("not run", "not run"));
        List<Thread> threads = new ArrayList<>();
        List<Supplier<T>> both = List.of(first, second);
        for (int i = 0; i < 2; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    Object value = both.get(index).get();
                    synchronized (results) {
                        results.set(index, value);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    synchronized (results) {
                        results.set(index, e);
                    }
                }
            }, "simulated-container-" + i);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return results;
    }
}
