package dev.rawzone.core.pull;

import java.time.Clock;
import java.time.Instant;

/**
 * The first attempt at the next page's request, made on a thread of its own while the page in hand is written and
 * committed: at most one page ahead. It only asks; everything that depends on the commit (reading the body, the
 * bound and cycle checks, waiting for {@code Retry-After} and the further attempts) is left to the run, after the
 * commit, as if the request had been made then (see {@link PageFetcher#fetch(java.net.URI, java.util.Map,
 * java.util.Collection, int, java.time.Duration, TimeBudget, PageFetcher.Stats, PageFetcher.Answer)}).
 * <p>
 * Its request is counted apart and added to the run's figures only once the thread has ended (taken or discarded),
 * so nothing of the run is touched by two threads at once.
 */
final class PagePrefetch {
    /** The attempt to make, counting its request in the given stats. */
    interface Attempt {
        PageFetcher.Answer attempt(PageFetcher.Stats stats) throws PullStoppedException;
    }

    private final PageRequest request;
    private final PageFetcher.Stats stats = new PageFetcher.Stats();
    private final Thread thread;
    private PageFetcher.Answer answer;
    private Instant answeredAt;
    private PullStoppedException stopped;
    private RuntimeException error;

    private PagePrefetch(PageRequest request, Clock clock, Attempt attempt) {
        this.request = request;
        this.thread = new Thread(() -> {
            try {
                answer = attempt.attempt(stats);
                answeredAt = clock.instant();
            } catch (PullStoppedException e) {
                stopped = e;
            } catch (RuntimeException e) {
                error = e;
            }
        }, "rawzone-page-prefetch");
        thread.setDaemon(true);
    }

    static PagePrefetch start(PageRequest request, Clock clock, Attempt attempt) {
        PagePrefetch prefetch = new PagePrefetch(request, clock, attempt);
        prefetch.thread.start();
        return prefetch;
    }

    PageRequest request() {
        return request;
    }

    /** When the answer arrived (after {@link #take}). */
    Instant answeredAt() {
        return answeredAt;
    }

    /** Waits for the attempt's answer; what it threw (a client error, a body too large) is thrown here. */
    PageFetcher.Answer take(PageFetcher.Stats into) throws PullStoppedException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            discard(into);
            Thread.currentThread().interrupt();
            throw PullStoppedException.paused("interrupted");
        }
        into.add(stats);
        if (stopped != null) {
            throw stopped;
        }
        if (error != null) {
            throw error;
        }
        return answer;
    }

    /** The run does not go on to this request: it is cancelled if still under way, and waited for. */
    void discard(PageFetcher.Stats into) {
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        into.add(stats);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
