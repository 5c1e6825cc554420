package dev.rawzone.core.pull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One page over HTTP with the JDK's client (TLS verification as the JDK does it; redirects are not followed, so
 * the credential only ever goes to the configured endpoint). {@code 429} and {@code 503} wait for
 * {@code Retry-After} when the server sends one; those and other 5xx and I/O errors otherwise back off with
 * jitter. Any other 4xx fails the source at once. Nothing is started or waited for beyond the time budget.
 */
public final class PageFetcher {
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final Duration MIN_REQUEST_TIME = Duration.ofSeconds(1);
    private static final int MAX_SNIPPET = 200;

    /** A successful response. */
    record HttpPage(URI uri, int status, String body, Optional<URI> next) {
    }

    /** What the fetches of one source cost: requests, retries, throttled answers and time spent waiting. */
    static final class Stats {
        int requests;
        int retries;
        int throttled;
        long waitedMillis;
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
        String what = "GET " + uri.getRawPath();
        for (int attempt = 1; ; attempt++) {
            Duration backedOff = backoff.after(attempt);
            if (!budget.allows(MIN_REQUEST_TIME)) {
                throw PullStoppedException.paused("stopped before the Lambda timeout; resumes on the next run");
            }
            Duration timeout = min(requestTimeout, budget.remaining());
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                    .header("Accept", "application/json");
            headers.forEach(request::header);
            stats.requests++;
            Duration wait;
            String problem;
            try {
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                String body = read(response, what);
                if (status >= 200 && status < 300) {
                    Optional<URI> next = LinkHeader.next(response.headers().allValues("Link"), uri);
                    return new HttpPage(uri, status, body, next);
                }
                Optional<Duration> retryAfter = backoff.retryAfter(response.headers().firstValue("Retry-After"));
                problem = "HTTP " + status + " from " + what;
                if (status == 429 || status == 503) {
                    stats.throttled++;
                    wait = retryAfter.orElse(backedOff);
                } else if (status >= 500) {
                    wait = retryAfter.orElse(backedOff);
                } else if (status >= 300 && status < 400) {
                    throw PullStoppedException.failed(problem + ": redirects are not followed (the credential stays "
                            + "on the configured endpoint); configure the final URL");
                } else {
                    throw PullStoppedException.failed(problem + ": " + scrub(snippet(body), secrets)
                            + " (a client error is not retried; the checkpoint is unchanged)");
                }
            } catch (HttpTimeoutException e) {
                problem = "no answer within " + timeout.toMillis() + " ms from " + what;
                wait = backedOff;
            } catch (IOException e) {
                problem = "I/O error from " + what + ": " + scrub(String.valueOf(e.getMessage()), secrets);
                wait = backedOff;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PullStoppedException.paused("interrupted");
            }
            if (attempt >= maxAttempts) {
                throw PullStoppedException.failed(problem + ", " + attempt + " attempts; the checkpoint is unchanged");
            }
            if (!budget.allows(wait.plus(MIN_REQUEST_TIME))) {
                throw PullStoppedException.paused(problem + "; waiting " + wait.toMillis()
                        + " ms would pass the time budget, so it resumes on the next run");
            }
            stats.retries++;
            stats.waitedMillis += wait.toMillis();
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PullStoppedException.paused("interrupted while waiting to retry");
            }
        }
    }

    private static String read(HttpResponse<InputStream> response, String what)
            throws IOException, PullStoppedException {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw PullStoppedException.failed("the response to " + what + " is larger than " + MAX_BODY_BYTES
                        + " bytes; lower page_size");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static String snippet(String body) {
        String line = body.replaceAll("\\s+", " ").strip();
        return line.isEmpty() ? "(empty body)" : line.length() > MAX_SNIPPET ? line.substring(0, MAX_SNIPPET) + "..." : line;
    }

    /** Removes every credential from text that may reach a log or a report (an API might echo a header). */
    static String scrub(String text, Collection<String> secrets) {
        String clean = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                clean = clean.replace(secret, "***");
            }
        }
        return clean;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
