package dev.rawzone.core.pull;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.identity.SourceIdentity;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP API source to pull, as configured (never hard-coded): where it is, how to authenticate, how its
 * records are ordered and paged, and which dataset they belong to. Parsed and checked by {@link PullSources}.
 *
 * @param name          unique, {@code [a-z0-9_-]}, at most 32 characters: the checkpoint key and the name stem
 * @param query         fixed, non-secret query parameters sent with every request
 * @param dateField     the record field whose date is the record's {@code dt=} partition; for timestamp cursors the
 *                      cursor field by default; without one, the date the page was fetched (kept with the page)
 */
public record PullSource(String name, String dataset, URI endpoint, Auth auth, Cursor cursor,
                         Optional<Pagination> pagination, int pageSize, String pageSizeParam, String recordsField,
                         String idField, Optional<String> dateField, Map<String, String> query, int maxAttempts,
                         Duration requestTimeout) {
    public static final String SOURCE_KIND = "pull";

    public PullSource {
        query = Map.copyOf(query);
    }

    /** How requests authenticate; the secret is a reference ({@code secretsmanager:<id>} or {@code ssm:<name>}). */
    public record Auth(AuthType type, String header, Optional<String> secret, Optional<String> secretJsonKey) {
    }

    public enum AuthType {
        /** {@code Authorization: Bearer <token>}. */
        BEARER,
        /** The token as the value of a named header (e.g. {@code X-Api-Key}). */
        HEADER,
        NONE
    }

    public enum TimestampFormat {
        ISO,
        EPOCH_MILLIS,
        EPOCH_SECONDS
    }

    /**
     * @param field        timestamp and id kinds: the record field holding the cursor value; page-token kind: the
     *                     body field holding the token to resume from
     * @param param        the query parameter the lower bound (or the stored token) is sent in
     * @param inclusive    whether the API's bound includes its value ({@code >=}) or not ({@code >}: the bound is
     *                     then sent one {@code precision} below the lowest value wanted)
     * @param precision    timestamp kind: the finest step the bound parameter says (1 ms for epoch_millis, 1 s for
     *                     epoch_seconds, configurable for iso, 1 µs by default)
     * @param initial      where the first run starts; empty: from the API's beginning (no bound sent)
     * @param lookback     timestamp kind: how far behind the newest value each run re-reads, for late updates
     * @param idLookback   id kind: how many ids behind the highest each run re-reads, for late-committed rows
     * @param hasMoreField page-token kind: a body field saying whether more pages follow
     */
    public record Cursor(CursorKind kind, String field, String param, TimestampFormat format, boolean inclusive,
                         Duration precision, Optional<String> initial, Duration lookback, long idLookback,
                         Optional<String> hasMoreField) {
    }

    /**
     * @param param        the query parameter of the next token or the offset (unused for links)
     * @param tokenField   the body field holding the next page's token ({@link PaginationStyle#NEXT_TOKEN})
     * @param hasMoreField an optional body field that says whether another page follows
     */
    public record Pagination(PaginationStyle style, String param, String tokenField, Optional<String> hasMoreField) {
    }

    public String checkpointKey() {
        return SOURCE_KIND + "#" + name;
    }

    /** The identity of everything written from this source: its stem is the source name. */
    public SourceIdentity identity() {
        String where = endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
                + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
        return new SourceIdentity(SOURCE_KIND, SOURCE_KIND + "://" + name + "/" + where, KeyParts.sanitise(name));
    }
}
