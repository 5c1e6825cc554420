package dev.rawzone.testkit.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small paginated HTTP API on loopback, the kind of source the pull ingestion polls: contacts that change over
 * time, bearer-token auth, and scripted faults (throttling with {@code Retry-After}, server errors, a malformed
 * page, a held request) so tests and the demo can show what the poller does with them.
 *
 * <p>{@code GET /v1/records} lists the current version of each contact, ordered by {@code (updated_at, id)}, or by
 * {@code id} when asked with {@code since_id}. Parameters: {@code updated_since} (ISO-8601 instant or epoch
 * milliseconds, inclusive unless {@link #exclusiveUpdatedSince}), {@code since_id} (exclusive), {@code limit}
 * (default 100, at most 1000), and either {@code page_token} (from the previous page's {@code next_page_token}) or
 * {@code offset}. A page with more after it also carries {@code Link: <...>; rel="next"}.
 * {@code GET /v1/changes?cursor=...} is a change feed: every version in the order it was made, with a
 * {@code next_cursor} on every page, to resume from later.
 */
public final class SampleApi implements AutoCloseable {
    public static final String RECORDS_PATH = "/v1/records";
    public static final String CHANGES_PATH = "/v1/changes";
    private static final int MAX_LIMIT = 1000;

    /** One version of a contact, as the API served or will serve it. */
    public record Version(long id, String updatedAt, int version) {
    }

    /** A request the API answered: its number (from 1), when, what, and with which status. */
    public record Served(int number, Instant at, String pathAndQuery, int status) {
    }

    private record CursorKey(long micros, long id) implements Comparable<CursorKey> {
        @Override
        public int compareTo(CursorKey other) {
            int byTime = Long.compare(micros, other.micros);
            return byTime != 0 ? byTime : Long.compare(id, other.id);
        }
    }

    private record Scripted(int status, Map<String, String> headers, String body) {
    }

    private record Trickle(int pieces, Duration pause) {
    }

    /** What the last page of {@code /v1/changes} carries as its {@code next_cursor}. */
    public enum FeedEnd {
        /** The cursor of the position after it, to resume from (the default). */
        NEXT_CURSOR,
        /** None: {@code null}, as feeds that only hand out a cursor while more follows. */
        NO_CURSOR,
        /** The cursor the page was asked with, as feeds that do not advance until a page is full. */
        SAME_CURSOR
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final NavigableMap<CursorKey, Map<String, Object>> byCursor = new TreeMap<>();
    private final NavigableMap<Long, Map<String, Object>> byId = new TreeMap<>();
    private final List<Map<String, Object>> changes = new ArrayList<>();
    private final Map<Long, String> omitted = new ConcurrentHashMap<>();
    private final Map<Integer, Scripted> scripted = new ConcurrentHashMap<>();
    private final Map<Integer, Hold> holds = new ConcurrentHashMap<>();
    private final Map<Integer, Trickle> trickles = new ConcurrentHashMap<>();
    private final Set<Integer> endless = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Runnable> changesBefore = new ConcurrentHashMap<>();
    private final Set<Integer> repeats = ConcurrentHashMap.newKeySet();
    private volatile Response previous;
    private final List<Served> served = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private volatile FeedEnd feedEnd = FeedEnd.NEXT_CURSOR;
    private volatile boolean exclusiveSince;
    private volatile boolean ignoreSince;
    private long nextId = 1;

    private SampleApi(String token) {
        this.token = token;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the sample API", e);
        }
        executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "sample-api");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts the API on a free loopback port; requests must carry {@code Authorization: Bearer <token>}. */
    public static SampleApi start(String token) {
        return new SampleApi(token);
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI endpoint() {
        return base().resolve(RECORDS_PATH);
    }

    public URI changesEndpoint() {
        return base().resolve(CHANGES_PATH);
    }

    // ------------------------------------------------------------------ data

    /** Adds {@code count} contacts, the i-th updated at {@code start + i * step}; returns their ids. */
    public synchronized List<Long> seed(int count, Instant start, Duration step) {
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(create(start.plus(step.multipliedBy(i))));
        }
        return ids;
    }

    /** A new contact, last updated at {@code updatedAt}. */
    public synchronized long create(Instant updatedAt) {
        long id = nextId++;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("name", "Contact " + id);
        record.put("email", "contact" + id + "@example.com");
        record.put("tier", id % 3 == 0 ? "gold" : "standard");
        record.put("version", 1);
        record.put("updated_at", iso(updatedAt));
        store(record);
        return id;
    }

    /**
     * A new version of a contact, stamped {@code updatedAt}: in the past for a late-arriving update (one that
     * became visible after newer ones were served), or now for an ordinary one.
     */
    public synchronized void update(long id, Instant updatedAt) {
        Map<String, Object> current = byId.get(id);
        if (current == null) {
            throw new IllegalArgumentException("no contact " + id);
        }
        Map<String, Object> next = new LinkedHashMap<>(current);
        next.put("version", (Integer) current.get("version") + 1);
        next.put("tier", "gold".equals(current.get("tier")) ? "standard" : "gold");
        next.put("updated_at", iso(updatedAt));
        byCursor.remove(key(current));
        omitted.remove(id);
        store(next);
    }

    /**
     * Replaces a field of the current version without making a new version, to serve a record the schema refuses.
     * Not for {@code id} or {@code updated_at}, which order the records.
     */
    public synchronized void corrupt(long id, String field, Object value) {
        Map<String, Object> current = byId.get(id);
        current.put(field, value);
    }

    /**
     * Serves the current version of a contact without {@code field} ({@code id} or {@code updated_at}, say) from
     * {@code /v1/records}, as a broken API might, until the contact is updated; it keeps its place in the order.
     */
    public synchronized void omit(long id, String field) {
        omitted.put(id, field);
    }

    /** Every version ever made, in the order it was made. */
    public synchronized List<Version> versions() {
        return changes.stream().map(SampleApi::version).toList();
    }

    /** The current version of every contact. */
    public synchronized List<Version> current() {
        return byId.values().stream().map(SampleApi::version).toList();
    }

    public synchronized int size() {
        return byId.size();
    }

    // ------------------------------------------------------------------ faults

    /** Request number {@code n} (counting from 1, every path) is answered with this status, headers and body. */
    public void respondAt(int n, int status, Map<String, String> headers, String body) {
        scripted.put(n, new Scripted(status, Map.copyOf(headers), body));
    }

    /**
     * Request number {@code n} is answered as the request before it was, next page token and all: pagination that
     * serves one page again and again.
     */
    public void repeatAt(int n) {
        repeats.add(n);
    }

    /**
     * Request number {@code n} is answered as it would be, with its full length announced, but its body is sent in
     * {@code pieces} parts with {@code pause} before each after the first: a trickle, or with two pieces a body that
     * stalls half-way. A client that hangs up meanwhile is let go.
     */
    public void trickleAt(int n, int pieces, Duration pause) {
        if (pieces < 2) {
            throw new IllegalArgumentException("a trickle has at least two pieces");
        }
        trickles.put(n, new Trickle(pieces, pause));
    }

    /**
     * Request number {@code n}, whatever it asks, gets a {@code 200} page that starts well and never ends (spaces
     * after {@code {"records":[}, as fast as the client reads), until the client hangs up.
     */
    public void endlessAt(int n) {
        endless.add(n);
    }

    /** Forgets every scripted answer and change not yet given. */
    public void clearScripted() {
        scripted.clear();
        trickles.clear();
        endless.clear();
        changesBefore.clear();
        repeats.clear();
    }

    /** Request number {@code n} gets a {@code 429 Too Many Requests} with {@code Retry-After: seconds}. */
    public void throttleAt(int n, int retryAfterSeconds) {
        respondAt(n, 429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)),
                "{\"error\":\"rate limited\"}");
    }

    /** Requests {@code from} to {@code to} (inclusive) get this server error, without {@code Retry-After}. */
    public void errorAt(int from, int to, int status) {
        for (int n = from; n <= to; n++) {
            respondAt(n, status, Map.of(), "{\"error\":\"internal\"}");
        }
    }

    /** Request number {@code n} gets a {@code 200} whose body is not a page (cut off mid-way). */
    public void malformedAt(int n) {
        respondAt(n, 200, Map.of("Content-Type", "application/json"), "{\"records\":[{\"id\":1,\"name\":\"Con");
    }

    /** Request number {@code n} waits, before it is answered, until the returned hold is released. */
    public Hold holdAt(int n) {
        Hold hold = new Hold();
        holds.put(n, hold);
        return hold;
    }

    /**
     * Just before request number {@code n} is answered, {@code change} changes the data (an update or a new contact
     * while a client is part-way through its pages, so that rows shift under an offset).
     */
    public void beforeRequest(int n, Runnable change) {
        changesBefore.put(n, change);
    }

    /** How the last page of the change feed ends from now on. */
    public void feedEnd(FeedEnd end) {
        this.feedEnd = end;
    }

    public FeedEnd feedEnd() {
        return feedEnd;
    }

    /** Every request waits this long before it is answered (a slow API, for time-budget tests). */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** {@code updated_since} means after the value ({@code >}), as some APIs have it, rather than at or after. */
    public void exclusiveUpdatedSince(boolean exclusive) {
        this.exclusiveSince = exclusive;
    }

    /** {@code updated_since} is read and ignored, as by an API that does not know it: every query starts at the beginning. */
    public void ignoreUpdatedSince(boolean ignore) {
        this.ignoreSince = ignore;
    }

    public int requestCount() {
        return requests.get();
    }

    public List<Served> served() {
        return List.copyOf(served);
    }

    /** A request held until released; {@link #awaitReached} tells when the request has arrived. */
    public static final class Hold {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public boolean awaitReached(Duration timeout) throws InterruptedException {
            return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            released.countDown();
        }

        void pass() {
            reached.countDown();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ serving

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int number = requests.incrementAndGet();
            URI uri = exchange.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            pause(latency);
            Hold hold = holds.remove(number);
            if (hold != null) {
                hold.pass();
            }
            Runnable change = changesBefore.remove(number);
            if (change != null) {
                change.run();
            }
            if (endless.remove(number)) {
                served.add(new Served(number, Instant.now(), pathAndQuery, 200));
                sendEndless(exchange);
                return;
            }
            Response response = respond(number, exchange, uri);
            previous = response;
            served.add(new Served(number, Instant.now(), pathAndQuery, response.status));
            byte[] body = response.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            response.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(response.status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    Trickle trickle = trickles.remove(number);
                    if (trickle == null) {
                        out.write(body);
                    } else {
                        trickle(out, body, trickle);
                    }
                }
            }
        }
    }

    private static void sendEndless(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] padding = new byte[64 * 1024];
        Arrays.fill(padding, (byte) ' ');
        try {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"records\":[".getBytes(StandardCharsets.UTF_8));
            while (!Thread.currentThread().isInterrupted()) {
                out.write(padding);
            }
        } catch (IOException e) {
            // the client hung up: the end of an endless body
        }
    }

    private static void trickle(OutputStream out, byte[] body, Trickle trickle) throws IOException {
        int pieces = Math.min(trickle.pieces(), body.length);
        for (int i = 0; i < pieces && !Thread.currentThread().isInterrupted(); i++) {
            if (i > 0) {
                pause(trickle.pause());
            }
            int from = (int) ((long) body.length * i / pieces);
            int to = (int) ((long) body.length * (i + 1) / pieces);
            out.write(body, from, to - from);
            out.flush();
        }
    }

    private record Response(int status, Map<String, String> headers, String body) {
        static Response error(int status, String message) {
            return new Response(status, Map.of(), Json.write(Map.of("error", message)));
        }
    }

    private Response respond(int number, HttpExchange exchange, URI uri) {
        if (!exchange.getRequestMethod().equals("GET")) {
            return Response.error(405, "only GET");
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.equals("Bearer " + token)) {
            return new Response(401, Map.of("WWW-Authenticate", "Bearer"), Json.write(Map.of("error", "unauthorized")));
        }
        Response earlier = previous;
        if (repeats.remove(number) && earlier != null) {
            return earlier;
        }
        Scripted script = scripted.remove(number);
        if (script != null) {
            return new Response(script.status(), script.headers(), script.body());
        }
        Map<String, String> query = query(uri.getRawQuery());
        try {
            if (uri.getPath().equals(RECORDS_PATH)) {
                return records(query);
            }
            if (uri.getPath().equals(CHANGES_PATH)) {
                return changes(query);
            }
            return Response.error(404, "no such path");
        } catch (IllegalArgumentException e) {
            return Response.error(400, e.getMessage());
        }
    }

    private synchronized Response records(Map<String, String> query) {
        int limit = limit(query);
        int offset = query.containsKey("offset") ? parseInt(query.get("offset"), "offset") : 0;
        boolean byIdOrder = query.containsKey("since_id");
        Collection<Map<String, Object>> ordered;
        if (byIdOrder) {
            long sinceId = parseLong(query.get("since_id"), "since_id");
            long after = query.containsKey("page_token") ? Long.parseLong(decodeToken(query.get("page_token"), "i")) : sinceId;
            ordered = byId.tailMap(Math.max(after, sinceId), false).values();
        } else {
            long since = query.containsKey("updated_since") && !ignoreSince ? parseInstantMicros(query.get("updated_since")) : Long.MIN_VALUE;
            NavigableMap<CursorKey, Map<String, Object>> view = byCursor.tailMap(
                    new CursorKey(since, exclusiveSince ? Long.MAX_VALUE : Long.MIN_VALUE), true);
            if (query.containsKey("page_token")) {
                String[] after = decodeToken(query.get("page_token"), "c").split(":");
                view = view.tailMap(new CursorKey(Long.parseLong(after[0]), Long.parseLong(after[1])), false);
            }
            ordered = view.values();
        }
        List<Object> page = new ArrayList<>(limit);
        boolean more = false;
        int skipped = 0;
        Map<String, Object> last = null;
        for (Map<String, Object> record : ordered) {
            if (skipped < offset) {
                skipped++;
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(served(record));
            last = record;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("records", page);
        Map<String, String> headers = new LinkedHashMap<>();
        if (more) {
            String next = byIdOrder ? encodeToken("i", last.get("id").toString())
                    : encodeToken("c", key(last).micros() + ":" + key(last).id());
            body.put("next_page_token", next);
            Map<String, String> nextQuery = new LinkedHashMap<>(query);
            nextQuery.remove("offset");
            nextQuery.put("page_token", next);
            headers.put("Link", "<" + endpoint() + "?" + queryString(nextQuery) + ">; rel=\"next\"");
        } else {
            body.put("next_page_token", null);
        }
        body.put("has_more", more);
        return new Response(200, headers, Json.write(body));
    }

    private synchronized Response changes(Map<String, String> query) {
        int limit = limit(query);
        int from = query.containsKey("cursor") ? Integer.parseInt(decodeToken(query.get("cursor"), "s")) : 0;
        if (from < 0 || from > changes.size()) {
            throw new IllegalArgumentException("cursor out of range");
        }
        int to = Math.min(changes.size(), from + limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("records", new ArrayList<Object>(changes.subList(from, to)));
        String next = encodeToken("s", Integer.toString(to));
        if (to == changes.size() && feedEnd != FeedEnd.NEXT_CURSOR) {
            next = feedEnd == FeedEnd.SAME_CURSOR ? query.get("cursor") : null;
        }
        body.put("next_cursor", next);
        body.put("has_more", to < changes.size());
        return new Response(200, Map.of(), Json.write(body));
    }

    private Map<String, Object> served(Map<String, Object> record) {
        String field = omitted.get((Long) record.get("id"));
        if (field == null) {
            return record;
        }
        Map<String, Object> copy = new LinkedHashMap<>(record);
        copy.remove(field);
        return copy;
    }

    private void store(Map<String, Object> record) {
        byId.put((Long) record.get("id"), record);
        byCursor.put(key(record), record);
        changes.add(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(record)));
    }

    private static CursorKey key(Map<String, Object> record) {
        return new CursorKey(micros(Instant.parse((String) record.get("updated_at"))), (Long) record.get("id"));
    }

    private static Version version(Map<String, Object> record) {
        return new Version((Long) record.get("id"), (String) record.get("updated_at"), (Integer) record.get("version"));
    }

    private static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).toString();
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static long parseInstantMicros(String text) {
        try {
            return text.chars().allMatch(Character::isDigit) ? Long.parseLong(text) * 1000 : micros(Instant.parse(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("updated_since is not an ISO-8601 instant: " + text);
        }
    }

    private static int limit(Map<String, String> query) {
        int limit = query.containsKey("limit") ? parseInt(query.get("limit"), "limit") : 100;
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return Math.min(limit, MAX_LIMIT);
    }

    private static int parseInt(String text, String name) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + text);
        }
    }

    private static long parseLong(String text, String name) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + text);
        }
    }

    private static String encodeToken(String kind, String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + value).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token, String kind) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed token");
        }
        if (!text.startsWith(kind + ":")) {
            throw new IllegalArgumentException("token of another kind");
        }
        return text.substring(kind.length() + 1);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(name, value);
        }
        return query;
    }

    private static String queryString(Map<String, String> query) {
        List<String> pairs = new ArrayList<>();
        query.forEach((name, value) -> pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The version history of one contact, oldest first. */
    public synchronized List<Version> history(long id) {
        return changes.stream().filter(change -> change.get("id").equals(id)).map(SampleApi::version)
                .sorted(Comparator.comparingInt(Version::version)).toList();
    }

    public synchronized Optional<Version> currentVersion(long id) {
        return Optional.ofNullable(byId.get(id)).map(SampleApi::version);
    }

    @Override
    public void close() {
        holds.values().forEach(Hold::release);
        server.stop(0);
        executor.shutdownNow();
    }
}
