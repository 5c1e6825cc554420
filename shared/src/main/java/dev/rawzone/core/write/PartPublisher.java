package dev.rawzone.core.write;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Where the part writers of one source unit gzip and write their parts: in the caller's thread, or in one
 * background thread so that the caller reads and validates the next part meanwhile. The background thread runs
 * parts one at a time in the order they were handed over, which is the order the caller's thread would have
 * written them in; once one has failed, the ones behind it fail with the same error without touching storage, as
 * if the process had stopped there.
 */
public final class PartPublisher {
    private static final long IDLE_SECONDS = 1;

    private final ThreadPoolExecutor background;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private PartPublisher(ThreadPoolExecutor background) {
        this.background = background;
    }

    public static PartPublisher inCallerThread() {
        return new PartPublisher(null);
    }

    /**
     * A publisher with a thread of its own, for one source unit. The thread is started by the first part and ends
     * when idle for a second, so a publisher left behind by a failed unit holds no thread.
     */
    public static PartPublisher inBackground() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "part-publisher");
                    thread.setDaemon(true);
                    return thread;
                });
        return new PartPublisher(executor);
    }

    /** Whether a part is done when handed over (so the writer takes in its outcome at once). */
    boolean inCallersThread() {
        return background == null;
    }

    <T> CompletableFuture<T> submit(Supplier<T> publication) {
        if (background == null) {
            return run(publication);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        background.execute(() -> {
            Throwable earlier = failure.get();
            CompletableFuture<T> done = earlier != null ? CompletableFuture.failedFuture(earlier) : run(publication);
            done.whenComplete((value, error) -> {
                if (error == null) {
                    result.complete(value);
                } else {
                    failure.compareAndSet(null, error);
                    result.completeExceptionally(error);
                }
            });
        });
        return result;
    }

    private static <T> CompletableFuture<T> run(Supplier<T> publication) {
        try {
            return CompletableFuture.completedFuture(publication.get());
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The result of a publication, once it is done; its failure is rethrown as it was thrown. */
    static <T> T await(CompletableFuture<T> publication) {
        try {
            return publication.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
