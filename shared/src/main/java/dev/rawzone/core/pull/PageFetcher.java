package dev.rawzone.core.pull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * One page over HTTP with the JDK's client (TLS verification as the JDK does it; redirects are not followed, so
 * the credential only ever goes to the configured endpoint). {@code 429} and {@code 503} wait for
 * {@code Retry-After} when the server sends one; those and other 5xx and I/O errors otherwise back off with
 * jitter. Any other 4xx fails the source at once. Nothing is started or waited for beyond the time budget.
 *
 * <p>{@code request_timeout} (or the time left, if less) bounds the whole response, headers and body: a body that
 * stalls or trickles is cut at that deadline and the attempt counts as a timeout; a body that passes
 * {@link #MAX_BODY_BYTES} is cut there and fails the source. {@code gzip} is asked for; see {@link ReceivedBody}.
 */
public final class PageFetcher {
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final Duration MIN_REQUEST_TIME = Duration.ofSeconds(1);
    private static final int MAX_SNIPPET = 200;

    /** A successful response. */
    record HttpPage(URI uri, int status, ReceivedBody body, Optional<URI> next) {
    }

    /** What the fetches of one source cost: requests, retries, throttled answers and time spent waiting. */
    static final class Stats {
        int requests;
        int retries;
        int throttled;
        long waitedMillis;

        void add(Stats other) {
            requests += other.requests;
            retries += other.retries;
            throttled += other.throttled;
            waitedMillis += other.waitedMillis;
        }
    }

    private final HttpClient http;
    private final Sleeper sleeper;
    private final Backoff backoff;

    PageFetcher(HttpClient http, Sleeper sleeper, Backoff backoff) {
        this.http = http;
        this.sleeper = sleeper;
        this.backoff = backoff;
    }

    /** The JDK client with its default TLS (certificates and host names verified), no redirects. */
    public static PageFetcher create(Clock clock, Sleeper sleeper, RandomGenerator random) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new PageFetcher(http, sleeper, new Backoff(Duration.ofMillis(250), Duration.ofSeconds(20), random, clock));
    }

    HttpPage fetch(URI uri, Map<String, String> headers, Collection<String> secrets, int maxAttempts,
                   Duration requestTimeout, TimeBudget budget, Stats stats) throws PullStoppedException {
        return fetch(uri, headers, secrets, maxAttempts, requestTimeout, budget, stats,
                attempt(uri, headers, secrets, requestTimeout, budget, stats, 1));
    }

    /**
     * The rest of a fetch whose first attempt was made already ({@code first}, perhaps on another thread): its
     * page, or the wait it asks for and the further attempts, as {@link #fetch} would have gone on.
     */
    HttpPage fetch(URI uri, Map<String, String> headers, Collection<String> secrets, int maxAttempts,
                   Duration requestTimeout, TimeBudget budget, Stats stats, Answer first) throws PullStoppedException {
        Answer answer = first;
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) {
                answer = attempt(uri, headers, secrets, requestTimeout, budget, stats, attempt);
            }
            if (answer instanceof Answer.Page page) {
                return page.page();
            }
            Answer.Retry retry = (Answer.Retry) answer;
            if (attempt >= maxAttempts) {
                throw PullStoppedException.failed(retry.problem() + ", " + attempt
                        + " attempts; the checkpoint is unchanged");
            }
            waitFor(retry, budget, stats);
            stats.retries++;
        }
    }

    /**
     * Waits as {@code retry} asks before the next request; a wait that would pass the time budget stops the source
     * instead (with the {@code Retry-After} the API asked for, for the run to note).
     */
    void waitFor(Answer.Retry retry, TimeBudget budget, Stats stats) throws PullStoppedException {
        if (!budget.allows(retry.delay().plus(MIN_REQUEST_TIME))) {
            String message = retry.problem() + "; waiting " + retry.delay().toMillis()
                    + " ms would pass the time budget, so it resumes on the next run";
            throw retry.askedToWait().map(asked -> PullStoppedException.askedToWait(message, asked))
                    .orElseGet(() -> PullStoppedException.paused(message));
        }
        stats.waitedMillis += retry.delay().toMillis();
        try {
            sleeper.sleep(retry.delay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PullStoppedException.paused("interrupted while waiting to retry");
        }
    }

    /** What one attempt got: the page, or why to try again and after how long. */
    sealed interface Answer {
        record Page(HttpPage page) implements Answer {
        }

        record Retry(String problem, Duration delay, Optional<Duration> askedToWait) implements Answer {
        }
    }

    /** One request, without waiting for a retry; a failure that is not retried is thrown. */
    Answer attempt(URI uri, Map<String, String> headers, Collection<String> secrets, Duration requestTimeout,
                   TimeBudget budget, Stats stats, int attempt) throws PullStoppedException {
        String what = "GET " + uri.getRawPath();
        Duration backedOff = backoff.after(attempt);
        if (!budget.allows(MIN_REQUEST_TIME)) {
            throw PullStoppedException.paused("stopped before the Lambda timeout; resumes on the next run");
        }
        Duration timeout = min(requestTimeout, budget.remaining());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                .header("Accept", "application/json").header("Accept-Encoding", "gzip");
        headers.forEach(request::header);
        stats.requests++;
        CappedBody body = new CappedBody(MAX_BODY_BYTES);
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request.build(), info -> body);
        try {
            HttpResponse<byte[]> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            ReceivedBody received = new ReceivedBody(response.body(), response.headers().firstValue("Content-Type"),
                    response.headers().firstValue("Content-Encoding"));
            if (status >= 200 && status < 300) {
                Optional<URI> next = LinkHeader.next(response.headers().allValues("Link"), uri);
                return new Answer.Page(new HttpPage(uri, status, received, next));
            }
            Optional<Duration> askedToWait = backoff.retryAfter(response.headers().firstValue("Retry-After"));
            String problem = "HTTP " + status + " from " + what;
            if (status == 429 || status == 503) {
                stats.throttled++;
                return new Answer.Retry(problem, askedToWait.orElse(backedOff), askedToWait);
            } else if (status >= 500) {
                return new Answer.Retry(problem, askedToWait.orElse(backedOff), askedToWait);
            } else if (status >= 300 && status < 400) {
                throw PullStoppedException.failed(problem + ": redirects are not followed (the credential stays "
                        + "on the configured endpoint); configure the final URL");
            } else {
                throw PullStoppedException.failed(problem + ": "
                        + scrub(snippet(received.lenientText(MAX_BODY_BYTES)), secrets)
                        + " (a client error is not retried; the checkpoint is unchanged)");
            }
        } catch (TimeoutException e) {
            body.abort();
            pending.cancel(true);
            return new Answer.Retry("no complete answer within " + timeout.toMillis() + " ms from " + what + " ("
                    + body.received() + " bytes of the body received)", backedOff, Optional.empty());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CappedBody.TooLargeException) {
                throw PullStoppedException.failed("the response to " + what + " is " + cause.getMessage()
                        + "; lower page_size");
            }
            return new Answer.Retry(cause instanceof HttpTimeoutException ? "no answer within " + timeout.toMillis()
                    + " ms from " + what : "I/O error from " + what + ": " + scrub(describe(cause), secrets),
                    backedOff, Optional.empty());
        } catch (InterruptedException e) {
            body.abort();
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw PullStoppedException.paused("interrupted");
        }
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private static String snippet(String body) {
        String line = body.replaceAll("\\s+", " ").strip();
        return line.isEmpty() ? "(empty body)" : line.length() > MAX_SNIPPET ? line.substring(0, MAX_SNIPPET) + "..." : line;
    }

    /** Removes every credential from text that may reach a log or a report (an API might echo a header). */
    static String scrub(String text, Collection<String> secrets) {
        return Credentials.of(secrets).scrub(text);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
