package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.checkpoint.Checkpoint;
import dev.rawzone.core.checkpoint.CheckpointConflictException;
import dev.rawzone.core.checkpoint.CheckpointStore;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.identity.RawZoneLayout;
import dev.rawzone.core.observe.CorrelationId;
import dev.rawzone.core.observe.WrittenVolume;
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaException;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.InMemorySink;
import dev.rawzone.core.write.PartPolicy;
import dev.rawzone.core.write.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls one source from its checkpoint, page by page, until it is caught up, out of time, or failed:
 * <ol>
 *   <li>fetch the next page (retries, {@code Retry-After}, backoff; a 4xx fails the source);</li>
 *   <li>stage it in the {@link PageLog} under the checkpoint's next sequence number, or take the page already
 *       staged there;</li>
 *   <li>write it through an ingest session (parts named from the source and their first position);</li>
 *   <li>advance the checkpoint with a compare-and-set on its version: a run that lost the race stops.</li>
 * </ol>
 * A crash between any two steps is repaired by the next run, which finds the staged page and writes nothing new
 * from it; a page is never skipped, because the checkpoint moves only after the page's parts exist.
 */
public final class SourcePuller {
    private static final Logger LOG = LoggerFactory.getLogger(SourcePuller.class);
    /** A page is not started with less than this left of the budget (the reserve covers finishing it). */
    static final Duration MIN_PAGE_TIME = Duration.ofSeconds(1);
    private static final int MAX_CURSOR_IN_POSITION = 64;
    public static final int DEFAULT_SEEN_CAP = 20_000;
    /** More pages than a Lambda run can commit (about 90 ms each in 15 minutes): a query this long never ends. */
    public static final int DEFAULT_MAX_QUERY_PAGES = 10_000;
    public static final int DEFAULT_SEEN_INLINE_BYTES = SeenSetObjects.DEFAULT_INLINE_LIMIT;

    private final CheckpointStore checkpoints;
    private final ConditionalSink raw;
    private final PageFetcher fetcher;
    private final SecretResolver secrets;
    private final SchemaCatalogue catalogue;
    private final RecordValidator validator;
    private final PartPolicy policy;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final PageLog pageLog;
    private final int seenCap;
    private final int maxQueryPages;
    private final int seenInlineLimit;

    public SourcePuller(CheckpointStore checkpoints, ConditionalSink raw, PageFetcher fetcher, SecretResolver secrets,
                        SchemaCatalogue catalogue, PartPolicy policy, ObjectMapper mapper, Clock clock, int seenCap) {
        this(checkpoints, raw, fetcher, secrets, catalogue, policy, mapper, clock, seenCap, DEFAULT_MAX_QUERY_PAGES,
                DEFAULT_SEEN_INLINE_BYTES);
    }

    /**
     * @param maxQueryPages   the most pages one query may have before its pagination is taken for one that never ends
     * @param seenInlineLimit the largest seen set (base64 characters) kept in the checkpoint item; a bigger one is
     *                        kept in its own object ({@link SeenSetObjects})
     */
    public SourcePuller(CheckpointStore checkpoints, ConditionalSink raw, PageFetcher fetcher, SecretResolver secrets,
                        SchemaCatalogue catalogue, PartPolicy policy, ObjectMapper mapper, Clock clock, int seenCap,
                        int maxQueryPages, int seenInlineLimit) {
        this.checkpoints = checkpoints;
        this.raw = raw;
        this.fetcher = fetcher;
        this.secrets = secrets;
        this.catalogue = catalogue;
        this.validator = new RecordValidator(catalogue);
        this.policy = policy;
        this.mapper = mapper;
        this.clock = clock;
        this.pageLog = new PageLog(raw, mapper);
        this.seenCap = seenCap;
        this.maxQueryPages = maxQueryPages;
        this.seenInlineLimit = seenInlineLimit;
    }

    /** What a run would do, without calling the API or writing anything: the checkpoint and the first request. */
    public ObjectNode plan(PullSource source) {
        ObjectNode plan = mapper.createObjectNode();
        plan.put("source", source.name()).put("dataset", source.dataset()).put("action", "pull");
        PositionScheme scheme = new PositionScheme(source);
        try {
            Checkpoint checkpoint = checkpoints.get(source.checkpointKey());
            PullState state = PullState.decode(checkpoint.state(), scheme,
                    new SeenSetObjects(raw, source, seenInlineLimit));
            plan.set("checkpoint", mapper.valueToTree(state.describe(checkpoint.version(), scheme)));
            plan.put("first_request", fresh(source, scheme, state).uri(source).toString());
            if (pageLog.find(source, state.seq()).isPresent()) {
                plan.put("note", "page " + state.seq() + " is already staged (an earlier run stopped after "
                        + "fetching it); it is written from the page log before anything is fetched");
            }
        } catch (IllegalStateException e) {
            plan.put("action", "fail").put("reason", e.getMessage());
        } catch (SdkException e) {
            plan.put("note", "the checkpoint could not be read (" + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse("") + ")");
        }
        return plan;
    }

    public SourceReport pull(PullSource source, TimeBudget budget, RunContext run) {
        Run pulling = new Run(source, budget, run);
        try (CorrelationId position = CorrelationId.of(source.identity().uri())) {
            return pulling.pull(position);
        } finally {
            pulling.discardAhead(); // after a crash (an Error), the next page's request does not outlive the run
        }
    }

    /** What {@link #fetchOnly} read: pages and records, with nothing staged, written or committed. */
    public record FetchOnly(int pages, long records, int requests) {
    }

    /**
     * Fetches the pages a first pull of the source would (from the API's beginning, following its pagination), and
     * only that: the baseline that shows what the pull adds on top of HTTP and JSON.
     */
    public FetchOnly fetchOnly(PullSource source, TimeBudget budget) throws IOException {
        Run run = new Run(source, budget, new RunContext("baseline", "baseline"));
        try {
            return run.fetchOnly();
        } catch (PullStoppedException e) {
            throw new IOException(e.getMessage());
        }
    }

    /**
     * The first page a fresh checkpoint would ask for, fetched, read and written as a pull would, into a raw zone in
     * memory that is then reported (see {@link SourceCheck}): nothing is staged, written or committed, and the raw
     * zone and checkpoint store are not touched.
     */
    public ObjectNode check(PullSource source, TimeBudget budget) {
        return new Run(source, budget, new RunContext("check", "check"), new InMemorySink()).check();
    }

    /** The state of one source's pull in one invocation. */
    private final class Run {
        private final PullSource source;
        private final TimeBudget budget;
        private final RunContext run;
        /** Where this run writes: the raw zone, or for a check one in memory. */
        private final ConditionalSink raw;
        private final PositionScheme scheme;
        private final SeenSetObjects seenObjects;
        private final PageFetcher.Stats stats = new PageFetcher.Stats();
        private final QueryPages query;
        private final List<String> credentials = new ArrayList<>();
        private Counts counts = Counts.ZERO;
        private int pages;
        private int dataParts;
        private int quarantineParts;
        private WrittenVolume written = WrittenVolume.NONE;
        private Optional<String> quarantinedPage = Optional.empty();
        private Map<String, Object> before = Map.of();
        private Checkpoint checkpoint;
        private PullState state;
        /** The bound of the query being paged (offset pagination re-anchors it), empty for the API's beginning. */
        private Optional<BigInteger> anchor = Optional.empty();
        /** The next page's request, under way while the page in hand is written and committed. */
        private PagePrefetch ahead;
        /** The log lines' source position, moved to each page in turn; none for a baseline or a check. */
        private Optional<CorrelationId> position = Optional.empty();

        Run(PullSource source, TimeBudget budget, RunContext run) {
            this(source, budget, run, SourcePuller.this.raw);
        }

        Run(PullSource source, TimeBudget budget, RunContext run, ConditionalSink raw) {
            this.source = source;
            this.budget = budget;
            this.run = run;
            this.raw = raw;
            this.scheme = new PositionScheme(source);
            this.query = new QueryPages(source, maxQueryPages);
            this.seenObjects = new SeenSetObjects(raw, source, seenInlineLimit);
        }

        /** The source's report; an unexpected error fails this source alone, so the sources after it still run. */
        SourceReport pull(CorrelationId position) {
            this.position = Optional.of(position);
            try {
                return pullOrThrow();
            } catch (RuntimeException e) {
                String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                return report(PullStatus.FAILED, Optional.of("unexpected error, the checkpoint stays where the last "
                        + "committed page left it and the next run resumes from there: "
                        + PageFetcher.scrub(what, credentials)), e);
            }
        }

        private SourceReport pullOrThrow() {
            try {
                checkpoint = checkpoints.get(source.checkpointKey());
                state = PullState.decode(checkpoint.state(), scheme, seenObjects);
            } catch (IllegalStateException e) {
                return report(PullStatus.FAILED, Optional.of("checkpoint " + source.checkpointKey() + ": " + e.getMessage()));
            }
            before = state.describe(checkpoint.version(), scheme);
            if (state.notBefore().filter(clock.instant()::isBefore).isPresent()) {
                return report(PullStatus.PAUSED, Optional.of("the API asked not to be called before "
                        + state.notBefore().get() + " (Retry-After); no request is made until then"));
            }
            Map<String, String> headers;
            int currentVersion;
            try {
                headers = headers(credentials);
                currentVersion = catalogue.currentVersion(source.dataset());
            } catch (SecretUnavailableException | SchemaException e) {
                return report(PullStatus.FAILED, Optional.of(e.getMessage()));
            }
            PageProcessor processor = new PageProcessor(source, scheme, validator, raw, policy, mapper);
            try {
                return loop(processor, headers, currentVersion);
            } catch (PullStoppedException e) {
                if (e.retryAfter().isPresent()) {
                    return report(PullStatus.PAUSED, Optional.of(e.getMessage() + noteNotBefore(e.retryAfter().get())));
                }
                return report(e.failure() ? PullStatus.FAILED : PullStatus.PAUSED, Optional.of(e.getMessage()));
            } catch (PageProcessor.PageWriteException e) {
                counts = counts.plus(e.counts());
                return report(PullStatus.FAILED, Optional.of("writing page " + state.seq() + " failed, the checkpoint "
                        + "is unchanged and the next run writes what is missing: " + e.getMessage()));
            }
        }

        /**
         * Notes in the checkpoint (compare-and-set on its version; cursor and sequence number unchanged) that the API
         * is not to be called before now + {@code retryAfter}, so the next scheduled run does not call it at once.
         */
        private String noteNotBefore(Duration retryAfter) {
            Instant notBefore = clock.instant().plus(retryAfter);
            try {
                checkpoint = checkpoints.advance(checkpoint, state.notBefore(notBefore).encode(seenObjects));
                state = state.notBefore(notBefore);
                return "; the API asked not to be called before " + notBefore + " (Retry-After), noted in the checkpoint";
            } catch (CheckpointConflictException | SdkException e) {
                LOG.warn("could not note Retry-After in checkpoint {}: {}", source.checkpointKey(), e.toString());
                return "; the API asked not to be called before " + notBefore + " (Retry-After), which could not be "
                        + "noted in the checkpoint";
            }
        }

        FetchOnly fetchOnly() throws PullStoppedException {
            Map<String, String> headers = headers(credentials);
            state = PullState.decode(Map.of(), scheme, seenObjects);
            Optional<PageRequest> next = Optional.of(freshRequest());
            int fetched = 0;
            long records = 0;
            while (next.isPresent()) {
                PageRequest request = next.get();
                Fetched page = fetch(request, headers);
                fetched++;
                records += page.body().records().size();
                next = following(request, page.http().next(), page.body().tree());
            }
            return new FetchOnly(fetched, records, stats.requests);
        }

        /**
         * The first page, processed as a run processes it into this run's raw zone (one in memory), and the
         * checkpoint it would leave; an empty page is not committed, as in a run.
         */
        ObjectNode check() {
            state = PullState.decode(Map.of(), scheme, seenObjects);
            SourceCheck check = new SourceCheck(source, scheme, mapper);
            PageRequest request = freshRequest();
            try {
                Map<String, String> headers = headers(credentials);
                int version = catalogue.currentVersion(source.dataset());
                Fetched page = fetch(request, headers);
                StagedPage staged = new StagedPage(state.seq(), request, page.http().uri(), page.http().next(),
                        clock.instant(), page.body(), source.dataset(), version);
                PageProcessor.Result result = new PageProcessor(source, scheme, validator, raw, policy, mapper)
                        .process(staged, state, run);
                boolean committed = !page.body().records().isEmpty();
                PullState after = committed ? state.after(result.outcome(), scheme, seenCap, clock.instant()) : state;
                return check.page(staged, result.counts(), raw, after.describe(committed ? 1 : 0, scheme));
            } catch (PullStoppedException e) {
                return check.failed(request.uri(source), "a run would stop here: " + e.getMessage());
            } catch (SecretUnavailableException | SchemaException e) {
                return check.failed(request.uri(source), e.getMessage());
            }
        }

        /**
         * A page as a run reads it: fetched, decoded, and refused if it is not a page, echoes the credential, or
         * repeats the query (a page-token page's resume token becomes the checkpoint, so one leading back into the
         * query is refused before the page is committed).
         */
        private Fetched fetch(PageRequest request, Map<String, String> headers) throws PullStoppedException {
            URI uri = request.uri(source);
            stopIfCycle(query.whyNotRequest(uri));
            return read(request, fetcher.fetch(uri, headers, credentials, source.maxAttempts(),
                    source.requestTimeout(), budget, stats));
        }

        /**
         * The request for the page after the one just staged, whose first attempt starts now on its own thread, so
         * that it is answered while this page is written. Nothing is asked that the run would not ask after the
         * commit: a request the cycle check refuses, or one past the budget, is left to the run to refuse (it stops
         * there as before). The run may still not go on to it (a failed write, a lost race for the checkpoint, the
         * budget, or the commit raising the bound past the query, which starts a fresh one): its answer is then
         * discarded, one request the API served for nothing.
         */
        private void fetchAhead(PageRequest request, Map<String, String> headers) {
            URI uri = request.uri(source);
            if (!budget.allows(MIN_PAGE_TIME) || query.whyNotRequest(uri).isPresent()) {
                return;
            }
            ahead = PagePrefetch.start(request, clock, stats -> fetcher.attempt(uri, headers, credentials,
                    source.requestTimeout(), budget, stats, 1));
        }

        /** The page {@code request} asks for: the one fetched ahead for it, or fetched now. */
        private Fetched fetchNext(PageRequest request, Map<String, String> headers) throws PullStoppedException {
            if (ahead == null || !ahead.request().equals(request)) {
                waitAskedAhead(discardAhead());
                return fetch(request, headers);
            }
            PagePrefetch taken = ahead;
            ahead = null;
            PageFetcher.Answer first = taken.take(stats);
            Fetched fetched = read(request, fetcher.fetch(request.uri(source), headers, credentials,
                    source.maxAttempts(), source.requestTimeout(), budget, stats, first));
            // A page answered ahead was fetched when it arrived, not when the run got to it.
            return first instanceof PageFetcher.Answer.Page ? fetched.answeredAt(taken.answeredAt()) : fetched;
        }

        /** Discards the request made ahead; what is left of a wait its answer asked for, if it did. */
        Optional<PageFetcher.Answer.Retry> discardAhead() {
            if (ahead == null) {
                return Optional.empty();
            }
            Optional<PageFetcher.Answer.Retry> asked = ahead.discard(stats);
            ahead = null;
            return asked;
        }

        /** The API asked the request made ahead to wait: the run's next request waits too, or the run stops. */
        private void waitAskedAhead(Optional<PageFetcher.Answer.Retry> asked) throws PullStoppedException {
            if (asked.isPresent()) {
                fetcher.waitFor(asked.get(), budget, stats);
            }
        }

        /** A response read as a page, and refused if it is not one, echoes the credential, or repeats the query. */
        private Fetched read(PageRequest request, PageFetcher.HttpPage http) throws PullStoppedException {
            PageBody body = body(http, Credentials.of(credentials));
            stopIfCycle(query.whyNotStage(body));
            stopIfBoundIgnored(firstBelowBound(body), http.uri());
            if (scheme.kind() == CursorKind.PAGE_TOKEN) {
                Optional<PageRequest> after = following(request, http.next(), body.tree());
                if (after.isPresent()) {
                    stopIfCycle(query.whyNotFollow(after.get().uri(source)));
                }
            }
            return new Fetched(http, body);
        }

        private SourceReport loop(PageProcessor processor, Map<String, String> headers, int currentVersion)
                throws PullStoppedException {
            Optional<PageRequest> next = Optional.empty();
            boolean first = true;
            while (true) {
                if (!budget.allows(MIN_PAGE_TIME)) {
                    return report(PullStatus.PAUSED, Optional.of("stopped before the Lambda timeout after " + pages
                            + " pages; resumes from the checkpoint on the next run"));
                }
                position.ifPresent(at -> at.moveTo(pagePosition()));
                PageLog.Staged staged = null;
                if (first) {
                    staged = pageLog.find(source, state.seq()).map(page -> new PageLog.Staged(page, false)).orElse(null);
                    if (staged != null) {
                        LOG.info("page {} is already staged by an earlier run: writing it from the page log", state.seq());
                        query.resumeWith(staged.page().url(), staged.page().body());
                    }
                    first = false;
                }
                if (staged == null) {
                    if (next.isEmpty()) {
                        waitAskedAhead(discardAhead());
                        query.reset();
                    }
                    PageRequest request = next.orElseGet(this::freshRequest);
                    Fetched fetched = fetchNext(request, headers);
                    PageFetcher.HttpPage http = fetched.http();
                    PageBody body = fetched.body();
                    if (body.records().isEmpty()) {
                        next = following(request, http.next(), body.tree());
                        if (next.isEmpty()) {
                            return report(PullStatus.COMPLETE, Optional.empty());
                        }
                        continue;
                    }
                    staged = pageLog.stage(source, new StagedPage(state.seq(), request, http.uri(), http.next(),
                            fetched.answeredAt().orElseGet(clock::instant), body, source.dataset(), currentVersion), run.marks());
                    if (!staged.ours()) {
                        LOG.info("page {} was staged by an overlapping run first: writing its copy", state.seq());
                    }
                }
                Following after = null;
                if (staged.ours()) {
                    StagedPage page = staged.page();
                    after = Following.of(() -> following(page.request(), page.nextLink(), page.body().tree()));
                    after.next().ifPresent(request -> fetchAhead(request, headers));
                }
                PageProcessor.Result result = processor.process(staged.page(), state, run);
                counts = counts.plus(result.counts());
                dataParts += result.dataParts();
                quarantineParts += result.quarantineParts();
                written = written.plus(result.written());
                PullState advanced = state.after(result.outcome(), scheme, seenCap, clock.instant());
                try {
                    checkpoint = checkpoints.advance(checkpoint, advanced.encode(seenObjects));
                } catch (CheckpointConflictException e) {
                    LOG.warn("checkpoint {} was advanced by another run: stopping without moving it",
                            source.checkpointKey());
                    return report(PullStatus.SUPERSEDED, Optional.of("another run advanced the checkpoint first; this "
                            + "run's writes of page " + state.seq() + " were the same parts (counted as duplicates "
                            + "where that run wrote them first)"));
                }
                state = advanced;
                pages++;
                LOG.info("page {} committed: {} cursor={}", staged.page().seq(), result.counts().asMap(),
                        state.cursor().orElse(""));
                if (after != null) {
                    JsonNode tree = staged.page().body().tree();
                    next = after.get();
                    if (next.isEmpty()) {
                        return report(PullStatus.COMPLETE, Optional.empty());
                    }
                    if (boundPassedTheQuery(tree.get(source.recordsField()))) {
                        next = Optional.empty();
                    }
                } else {
                    next = Optional.empty(); // another run's page: continue from the checkpoint it led to
                }
            }
        }

        /**
         * The page about to be fetched or written: its page log sequence number and the checkpoint's cursor it reads
         * on from (a long page token cut to its start).
         */
        private String pagePosition() {
            return source.identity().uri() + "/page/" + state.seq() + state.cursor()
                    .map(cursor -> "?cursor=" + URLEncoder.encode(cursor.length() > MAX_CURSOR_IN_POSITION
                            ? cursor.substring(0, MAX_CURSOR_IN_POSITION) : cursor, StandardCharsets.UTF_8))
                    .orElse("");
        }

        /** Fails the source before a repeated page is staged; the checkpoint stays at the last committed page. */
        private void stopIfCycle(Optional<String> cycle) throws PullStoppedException {
            if (cycle.isPresent()) {
                throw PullStoppedException.failed(cycle.get() + "; stopped before staging that page: nothing of it "
                        + "is written, the checkpoint stays after the last committed page (page log sequence "
                        + state.seq() + " is next), and the next run starts a fresh query from it");
            }
        }

        /**
         * The first record of a fresh page below the bound the query sent (the seen set's lower bound rounded down to
         * the parameter's precision): the API does not read its bound as configured.
         */
        private Optional<PageBody.Element> firstBelowBound(PageBody body) {
            Position sent = new Position(scheme.queryFrom(state.seen().from().major()), 0);
            return body.records().stream()
                    .filter(element -> element.tree() instanceof ObjectNode record
                            && scheme.place(record, state.seq(), 0) instanceof PositionScheme.Placed placed
                            && scheme.kind() != CursorKind.PAGE_TOKEN && placed.position().compareTo(sent) < 0)
                    .findFirst();
        }

        /**
         * Fails the source before a page holding a record below the query's lower bound is staged: such a record was
         * most likely written by an earlier run (the one that read its value), so quarantining it would store it twice.
         */
        private void stopIfBoundIgnored(Optional<PageBody.Element> below, URI uri) throws PullStoppedException {
            if (below.isEmpty()) {
                return;
            }
            JsonNode value = below.get().tree().get(source.cursor().field());
            throw PullStoppedException.failed("the API ignores " + source.cursor().param() + ": page " + state.seq()
                    + " from GET " + uri.getRawPath() + " holds a record below the query's lower bound "
                    + scheme.boundText(state.seen().from().major()) + " (its " + source.cursor().field() + " is "
                    + value + "); check cursor.param, format, precision and inclusive against the API's "
                    + "documentation. Nothing of the page is staged or written (such a record was most likely "
                    + "written by an earlier run), the checkpoint stays after the last committed page and the next "
                    + "run asks again");
        }

        /**
         * The response as a page. A body that is not a page (not JSON, or not readable in its coding or charset) is
         * kept in quarantine and fails the source; one that holds the credential (an API echoing the request) fails
         * the source with nothing of it stored, except a scrubbed quarantine copy of a body that is not a page.
         */
        private PageBody body(PageFetcher.HttpPage http, Credentials credentials) throws PullStoppedException {
            String what = "page " + state.seq() + " from GET " + http.uri().getRawPath();
            PageBody body = null;
            Optional<String> problem;
            try {
                body = PageBody.parse(http.body().text(PageFetcher.MAX_BODY_BYTES), source.recordsField());
                problem = StagedPage.whyNotAPage(body.tree(), source);
            } catch (CappedBody.TooLargeException e) {
                throw PullStoppedException.failed("the decoded response for " + what + " is " + e.getMessage()
                        + "; lower page_size");
            } catch (ReceivedBody.UndecodableException e) {
                problem = Optional.of(e.getMessage());
            } catch (IOException e) {
                problem = Optional.of("the body is not JSON (" + e.getClass().getSimpleName() + ")");
            }
            boolean echoed = http.next().map(URI::toString).filter(credentials::foundIn).isPresent()
                    || body != null && credentials.foundIn(body.text());
            if (problem.isEmpty() && echoed) {
                throw PullStoppedException.failed("the API echoed the credential in " + what + ": nothing of the "
                        + "page is stored, the checkpoint stays before it and the next run asks for it again");
            }
            if (problem.isEmpty()) {
                return body;
            }
            String key = quarantinePage(http.body(), credentials, problem.get());
            quarantinedPage = Optional.of(key);
            throw PullStoppedException.failed("malformed " + what + ": " + problem.get() + "; kept as " + key
                    + "; the checkpoint stays before it and the next run asks for it again");
        }

        /**
         * Keeps a body that is not a page as the bytes received, with its {@code Content-Type} and
         * {@code Content-Encoding} in the metadata; one that holds the credential is kept with its content coding
         * undone and each occurrence of the credential replaced, and says so in {@code scrubbed}.
         */
        private String quarantinePage(ReceivedBody body, Credentials credentials, String reason) {
            byte[] bytes = body.bytes();
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("source", PullSource.SOURCE_KIND);
            metadata.put("source-identity", source.identity().uri());
            metadata.put("page-seq", Long.toString(state.seq()));
            metadata.put("reason", ascii(reason));
            body.contentType().ifPresent(type -> metadata.put("content-type", ascii(type)));
            byte[] content = contentOrReceived(body);
            byte[] scrubbed = credentials.scrub(content);
            if (scrubbed != content) {
                bytes = scrubbed;
                metadata.put("scrubbed", "every form of the credential the API echoed is replaced by "
                        + Credentials.MARKER + (content != body.bytes() ? "; stored without its content coding" : ""));
            } else {
                body.contentEncoding().ifPresent(coding -> metadata.put("content-encoding", ascii(coding)));
            }
            String name = source.identity().stem() + "-page-" + state.seq() + "-"
                    + KeyParts.sha256Hex(bytes).substring(0, 16) + ".json";
            String key = RawZoneLayout.quarantine(PullSource.SOURCE_KIND, source.dataset(),
                    clock.instant().atZone(ZoneOffset.UTC).toLocalDate(), name);
            raw.putIfAbsent(key, bytes, metadata);
            return key;
        }

        /** The request for the page after this one, or empty when the query has no more pages. */
        private Optional<PageRequest> following(PageRequest request, Optional<URI> link, JsonNode body)
                throws PullStoppedException {
            int records = body.get(source.recordsField()).size();
            if (source.cursor().kind() == CursorKind.PAGE_TOKEN) {
                Optional<String> token = text(body.get(source.cursor().field()));
                if (token.isEmpty() || records == 0 || hasMoreSaysNo(body, source.cursor().hasMoreField())) {
                    return Optional.empty();
                }
                return Optional.of(PageRequest.first(token));
            }
            PullSource.Pagination pagination = source.pagination().orElseThrow();
            if (hasMoreSaysNo(body, pagination.hasMoreField())) {
                return Optional.empty();
            }
            switch (pagination.style()) {
                case NEXT_TOKEN -> {
                    return text(body.get(pagination.tokenField())).map(request::withToken);
                }
                case LINK -> {
                    if (link.isEmpty()) {
                        return Optional.empty();
                    }
                    if (!LinkHeader.sameOrigin(link.get(), source.endpoint())) {
                        throw PullStoppedException.failed("the Link to the next page leaves the endpoint's origin ("
                                + LinkHeader.originDifference(link.get(), source.endpoint())
                                + "); the credential is not sent there");
                    }
                    return Optional.of(request.withLink(link.get()));
                }
                default -> {
                    return records < source.pageSize() ? Optional.empty()
                            : Optional.of(afterOffsetPage(request, body.get(source.recordsField())));
                }
            }
        }

        private PageRequest freshRequest() {
            if (scheme.kind() != CursorKind.PAGE_TOKEN) {
                anchor = state.queryBound(scheme);
            }
            return fresh(source, scheme, state);
        }

        /**
         * Offset pagination re-anchored as keyset pagination is: the next page is a new query from the page's
         * highest cursor value (inclusive, offset 0), so a row that moves or appears before the offset while the
         * run pages cannot push another past it, and the checkpoint's lower bound never passes the bound asked
         * for. Only a page that is all one value (a tie group longer than a page) is followed by offset within it.
         */
        private PageRequest afterOffsetPage(PageRequest request, JsonNode records) {
            Optional<BigInteger> highest = highestQueryFrom(records);
            if (highest.isPresent() && (anchor.isEmpty() || highest.get().compareTo(anchor.get()) > 0)) {
                anchor = highest;
                return PageRequest.first(highest.map(scheme::boundParam));
            }
            return request.withOffset(request.offset() + records.size());
        }

        /** The highest cursor value of the records, as a query could ask from it (rounded to the precision). */
        private Optional<BigInteger> highestQueryFrom(JsonNode records) {
            Optional<BigInteger> highest = Optional.empty();
            for (JsonNode record : records) {
                if (scheme.place(record, state.seq(), 0) instanceof PositionScheme.Placed placed) {
                    BigInteger value = scheme.queryFrom(placed.position().major());
                    highest = Optional.of(highest.map(value::max).orElse(value));
                }
            }
            return highest;
        }

        /**
         * Whether the commit raised the checkpoint's lower bound above where the rest of the query can start (a
         * shorter lookback, the seen-set cap): the query's later pages could then hold records an honest API
         * returns below the new bound, so the next page is a fresh query from it instead.
         */
        private boolean boundPassedTheQuery(JsonNode records) {
            return scheme.kind() != CursorKind.PAGE_TOKEN && highestQueryFrom(records)
                    .filter(highest -> state.seen().from().compareTo(new Position(highest, 0)) > 0).isPresent();
        }

        private Map<String, String> headers(List<String> credentials) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("User-Agent", "rawzone-pull/" + run.pipelineVersion());
            PullSource.Auth auth = source.auth();
            if (auth.type() == PullSource.AuthType.NONE) {
                return headers;
            }
            String reference = auth.secret().orElseThrow();
            String value = secrets.resolve(reference);
            if (auth.secretJsonKey().isPresent()) {
                String key = auth.secretJsonKey().get();
                try {
                    JsonNode json = mapper.readTree(value);
                    JsonNode field = json == null ? null : json.get(key);
                    if (field == null || !field.isTextual() || field.textValue().isBlank()) {
                        throw new SecretUnavailableException("secret " + reference + " has no non-empty string \""
                                + key + "\"");
                    }
                    value = field.textValue();
                } catch (IOException e) {
                    throw new SecretUnavailableException("secret " + reference + " is not JSON, but secret_json_key "
                            + "is set");
                }
            }
            String header = auth.type() == PullSource.AuthType.BEARER ? "Bearer " + value : value;
            credentials.add(value);
            credentials.add(header);
            headers.put(auth.header(), header);
            return headers;
        }

        private SourceReport report(PullStatus status, Optional<String> reason) {
            return report(status, reason, null);
        }

        /** The report; {@code cause}, if any, is logged with its stack trace (the report carries only the reason). */
        private SourceReport report(PullStatus status, Optional<String> reason, Throwable cause) {
            position.ifPresent(at -> at.moveTo(source.identity().uri()));
            Optional<PageFetcher.Answer.Retry> askedAhead = discardAhead();
            if (askedAhead.isPresent() && status != PullStatus.SUPERSEDED) {
                // the run stops before the answer it asked for ahead, which asked to wait: no run may call sooner
                reason = Optional.of(reason.orElse("") + noteNotBefore(askedAhead.get().delay()));
            }
            Map<String, Object> after = state == null ? Map.of() : state.describe(checkpoint.version(), scheme);
            SourceReport report = new SourceReport(source.name(), source.dataset(), status, reason, counts, pages,
                    stats.requests, stats.retries, stats.throttled, stats.waitedMillis, dataParts, quarantineParts,
                    written, before, after, quarantinedPage);
            if (status == PullStatus.FAILED) {
                LOG.error("source {} failed: {} {}", source.name(), reason.orElse(""), counts.asMap(), cause);
            } else {
                LOG.info("source {} {}: {} pages {} {}", source.name(), status, pages, counts.asMap(),
                        reason.orElse(""));
            }
            return report;
        }
    }

    /** A response and the page read from it. */
    private record Fetched(PageFetcher.HttpPage http, PageBody body, Optional<Instant> answeredAt) {
        Fetched(PageFetcher.HttpPage http, PageBody body) {
            this(http, body, Optional.empty());
        }

        Fetched answeredAt(Instant at) {
            return new Fetched(http, body, Optional.of(at));
        }
    }

    /**
     * The request for the page after a staged one, worked out once when the page is staged (offset pagination
     * re-anchors its query as it does) and used after the page's commit; a stop it calls for is thrown only then.
     */
    private record Following(Optional<PageRequest> next, PullStoppedException stop) {
        interface Source {
            Optional<PageRequest> following() throws PullStoppedException;
        }

        static Following of(Source source) {
            try {
                return new Following(source.following(), null);
            } catch (PullStoppedException e) {
                return new Following(Optional.empty(), e);
            }
        }

        Optional<PageRequest> get() throws PullStoppedException {
            if (stop != null) {
                throw stop;
            }
            return next;
        }
    }

    /** The first page of a new query from the checkpoint: from its lower bound, or its resume token. */
    private static PageRequest fresh(PullSource source, PositionScheme scheme, PullState state) {
        if (scheme.kind() == CursorKind.PAGE_TOKEN) {
            return PageRequest.first(state.cursor().or(() -> source.cursor().initial()));
        }
        return PageRequest.first(state.queryBound(scheme).map(scheme::boundParam));
    }

    /** The body with its content coding undone, or as received when that is what cannot be undone. */
    private static byte[] contentOrReceived(ReceivedBody body) {
        try {
            return body.content(PageFetcher.MAX_BODY_BYTES);
        } catch (ReceivedBody.UndecodableException | CappedBody.TooLargeException e) {
            return body.bytes();
        }
    }

    private static String ascii(String text) {
        return text.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static boolean hasMoreSaysNo(JsonNode body, Optional<String> field) {
        return field.isPresent() && body.get(field.get()) != null && body.get(field.get()).isBoolean()
                && !body.get(field.get()).booleanValue();
    }

    private static Optional<String> text(JsonNode value) {
        return value != null && value.isTextual() && !value.textValue().isEmpty()
                ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** The checkpoint's age: how long since a page of the source was last committed, if ever. */
    public Optional<Duration> checkpointAge(SourceReport report) {
        Object at = report.checkpointAfter().get("committed_at");
        return at == null ? Optional.empty() : Optional.of(Duration.between(Instant.parse(at.toString()), clock.instant()));
    }
}
