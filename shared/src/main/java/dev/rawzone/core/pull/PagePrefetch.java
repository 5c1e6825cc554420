package dev.rawzone.core.pull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
    private final Clock clock;
    private final PageFetcher.Stats stats = new PageFetcher.Stats();
    private final Thread thread;
    private PageFetcher.Answer answer;
    private Instant answeredAt;
    private PullStoppedException stopped;
    /** What else the attempt threw (an {@code Error} too), to be thrown on the run's thread. */
    private Throwable error;

    private PagePrefetch(PageRequest request, Clock clock, Attempt attempt) {
        this.request = request;
        this.clock = clock;
        this.thread = new Thread(() -> {
            try {
                answer = attempt.attempt(stats);
                answeredAt = clock.instant();
            } catch (PullStoppedException e) {
                stopped = e;
            } catch (Throwable e) {
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
        if (error instanceof RuntimeException e) {
            throw e;
        }
        if (error instanceof Error e) {
            throw e;
        }
        if (error != null) {
            throw new IllegalStateException(error.getMessage(), error); // a checked one thrown around the signature
        }
        return answer;
    }

    /**
     * The run does not go on to this request: it is cancelled if still under way, and waited for. An answer that
     * asked to wait ({@code Retry-After}) is handed back with what is left of that wait, for the run to honour
     * before its next request or to note in the checkpoint, as if it had taken the answer.
     */
    Optional<PageFetcher.Answer.Retry> discard(PageFetcher.Stats into) {
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
        if (!(answer instanceof PageFetcher.Answer.Retry retry) || retry.askedToWait().isEmpty()) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), answeredAt.plus(retry.askedToWait().get()));
        return left.compareTo(Duration.ZERO) > 0 ? Optional.of(new PageFetcher.Answer.Retry(retry.problem()
                + " (to the request made ahead)", left, Optional.of(left))) : Optional.empty();
    }
}
