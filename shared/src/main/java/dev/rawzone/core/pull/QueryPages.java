package dev.rawzone.core.pull;

import dev.rawzone.core.identity.KeyParts;

import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The pages of one query (one chain of requests from a fresh query) so far: each request made and a fingerprint of
 * each page's records. Pagination that never ends is caught before the repeated page is staged: a request already
 * made in this query (the same token again, or a cycle A, B, A), a page holding the records of an earlier page
 * under a new token, or, as a last resort, more pages than {@code maxPages}. Without this, a repeated page would be
 * written again, its records then below the checkpoint's bound, and quarantined as well as written.
 */
final class QueryPages {
    private final int maxPages;
    private final String pointer;
    private final Map<String, Integer> requests = new HashMap<>();
    private final Map<String, Integer> contents = new HashMap<>();
    private int pages;

    QueryPages(PullSource source, int maxPages) {
        this.maxPages = maxPages;
        this.pointer = pointer(source);
    }

    /** Forgets the pages: the next request starts a fresh query. */
    void reset() {
        requests.clear();
        contents.clear();
        pages = 0;
    }

    /** Starts the query with a page an earlier run requested and staged (its chain goes on from there). */
    void resumeWith(URI uri, PageBody body) {
        reset();
        whyNotRequest(uri);
        whyNotStage(body);
    }

    /** Before a request: why it must not be made (it repeats one of this query, or the query is too long). */
    Optional<String> whyNotRequest(URI uri) {
        Optional<String> repeat = whyNotFollow(uri);
        if (repeat.isPresent()) {
            return repeat;
        }
        if (pages >= maxPages) {
            return Optional.of("pagination did not end after " + maxPages + " pages of one query (the cap on the "
                    + "pages of one query, PULL_MAX_QUERY_PAGES); the API keeps answering with another " + pointer);
        }
        pages++;
        requests.put(uri.toString(), pages);
        return Optional.empty();
    }

    /** Whether the latest page's pointer to the next one leads back to a request of this query. */
    Optional<String> whyNotFollow(URI next) {
        Integer earlier = requests.get(next.toString());
        return earlier == null ? Optional.empty() : Optional.of("pagination cycle: the API answered page " + pages
                + " of this query with the " + pointer + " of page " + earlier
                + (earlier == 1 ? " (the query's first request)" : ""));
    }

    /** After a page arrived, before it is staged: why it must not be (its records are an earlier page's). */
    Optional<String> whyNotStage(PageBody body) {
        if (body.records().isEmpty()) {
            return Optional.empty(); // empty pages with a continuation are normal; the cap bounds them
        }
        String fingerprint = fingerprint(body);
        Integer earlier = contents.putIfAbsent(fingerprint, pages);
        if (earlier != null) {
            return Optional.of("pagination cycle: page " + pages + " of this query holds the same "
                    + body.records().size() + " records as page " + earlier + " (the API serves a page again, "
                    + "whatever its " + pointer + " says)");
        }
        return Optional.empty();
    }

    private static String fingerprint(PageBody body) {
        MessageDigest digest = KeyParts.sha256();
        for (PageBody.Element record : body.records()) {
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(record.text().length).array());
            digest.update(record.text());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String pointer(PullSource source) {
        if (source.cursor().kind() == CursorKind.PAGE_TOKEN) {
            return "resume token (" + source.cursor().field() + ")";
        }
        PullSource.Pagination pagination = source.pagination().orElseThrow();
        return switch (pagination.style()) {
            case NEXT_TOKEN -> "next page token (" + pagination.tokenField() + ")";
            case LINK -> "Link to the next page";
            case OFFSET -> "offset";
        };
    }
}
