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
import dev.rawzone.core.pipeline.RunContext;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.SchemaCatalogue;
import dev.rawzone.core.validate.SchemaException;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.PartPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.net.URI;
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
    public static final int DEFAULT_SEEN_CAP = 20_000;

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

    public SourcePuller(CheckpointStore checkpoints, ConditionalSink raw, PageFetcher fetcher, SecretResolver secrets,
                        SchemaCatalogue catalogue, PartPolicy policy, ObjectMapper mapper, Clock clock, int seenCap) {
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
    }

    /** What a run would do, without calling the API or writing anything: the checkpoint and the first request. */
    public ObjectNode plan(PullSource source) {
        ObjectNode plan = mapper.createObjectNode();
        plan.put("source", source.name()).put("dataset", source.dataset()).put("action", "pull");
        PositionScheme scheme = new PositionScheme(source);
        try {
            Checkpoint checkpoint = checkpoints.get(source.checkpointKey());
            PullState state = PullState.decode(checkpoint.state(), scheme);
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
        MDC.put("correlation_id", source.identity().uri());
        try {
            return new Run(source, budget, run).pull();
        } finally {
            MDC.remove("correlation_id");
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
     * The first page a fresh checkpoint would ask for, fetched and judged as a pull would judge it (see
     * {@link SourceCheck}), with nothing staged, written or committed: a page that is not a page is reported, not kept.
     */
    public ObjectNode check(PullSource source, TimeBudget budget) {
        return new Run(source, budget, new RunContext("check", "check")).check();
    }

    /** The state of one source's pull in one invocation. */
    private final class Run {
        private final PullSource source;
        private final TimeBudget budget;
        private final RunContext run;
        private final PositionScheme scheme;
        private final PageFetcher.Stats stats = new PageFetcher.Stats();
        private Counts counts = Counts.ZERO;
        private int pages;
        private int dataParts;
        private int quarantineParts;
        private int newParts;
        private Optional<String> quarantinedPage = Optional.empty();
        private Map<String, Object> before = Map.of();
        private Checkpoint checkpoint;
        private PullState state;

        Run(PullSource source, TimeBudget budget, RunContext run) {
            this.source = source;
            this.budget = budget;
            this.run = run;
            this.scheme = new PositionScheme(source);
        }

        SourceReport pull() {
            try {
                checkpoint = checkpoints.get(source.checkpointKey());
                state = PullState.decode(checkpoint.state(), scheme);
            } catch (IllegalStateException e) {
                return report(PullStatus.FAILED, Optional.of("checkpoint " + source.checkpointKey() + ": " + e.getMessage()));
            }
            before = state.describe(checkpoint.version(), scheme);
            Map<String, String> headers;
            List<String> credentials = new ArrayList<>();
            int currentVersion;
            try {
                headers = headers(credentials);
                currentVersion = catalogue.currentVersion(source.dataset());
            } catch (SecretUnavailableException | SchemaException e) {
                return report(PullStatus.FAILED, Optional.of(e.getMessage()));
            }
            PageProcessor processor = new PageProcessor(source, scheme, validator, raw, policy, mapper);
            try {
                return loop(processor, headers, credentials, currentVersion);
            } catch (PullStoppedException e) {
                return report(e.failure() ? PullStatus.FAILED : PullStatus.PAUSED, Optional.of(e.getMessage()));
            } catch (PageProcessor.PageWriteException e) {
                counts = counts.plus(e.counts());
                return report(PullStatus.FAILED, Optional.of("writing page " + state.seq() + " failed, the checkpoint "
                        + "is unchanged and the next run writes what is missing: " + e.getMessage()));
            }
        }

        FetchOnly fetchOnly() throws PullStoppedException {
            List<String> credentials = new ArrayList<>();
            Map<String, String> headers = headers(credentials);
            state = PullState.decode(Map.of(), scheme);
            Optional<PageRequest> next = Optional.of(fresh(source, scheme, state));
            int fetched = 0;
            long records = 0;
            while (next.isPresent()) {
                PageRequest request = next.get();
                PageFetcher.HttpPage http = fetcher.fetch(request.uri(source), headers, credentials, source.maxAttempts(),
                        source.requestTimeout(), budget, stats);
                PageBody body = body(http);
                fetched++;
                records += body.records().size();
                next = following(request, http.next(), body.tree());
            }
            return new FetchOnly(fetched, records, stats.requests);
        }

        ObjectNode check() {
            state = PullState.decode(Map.of(), scheme);
            SourceCheck check = new SourceCheck(source, scheme, validator, mapper, clock, seenCap);
            URI uri = fresh(source, scheme, state).uri(source);
            try {
                List<String> credentials = new ArrayList<>();
                Map<String, String> headers = headers(credentials);
                int version = catalogue.currentVersion(source.dataset());
                return check.page(state, fetcher.fetch(uri, headers, credentials, source.maxAttempts(),
                        source.requestTimeout(), budget, stats), version);
            } catch (PullStoppedException | SecretUnavailableException | SchemaException e) {
                return check.failed(uri, e.getMessage());
            }
        }

        private SourceReport loop(PageProcessor processor, Map<String, String> headers, List<String> credentials,
                                  int currentVersion) throws PullStoppedException {
            Optional<PageRequest> next = Optional.empty();
            boolean first = true;
            while (true) {
                if (!budget.allows(MIN_PAGE_TIME)) {
                    return report(PullStatus.PAUSED, Optional.of("stopped before the Lambda timeout after " + pages
                            + " pages; resumes from the checkpoint on the next run"));
                }
                PageLog.Staged staged = null;
                if (first) {
                    staged = pageLog.find(source, state.seq()).map(page -> new PageLog.Staged(page, false)).orElse(null);
                    if (staged != null) {
                        LOG.info("page {} is already staged by an earlier run: writing it from the page log", state.seq());
                    }
                    first = false;
                }
                if (staged == null) {
                    PageRequest request = next.orElseGet(() -> fresh(source, scheme, state));
                    URI uri = request.uri(source);
                    PageFetcher.HttpPage http = fetcher.fetch(uri, headers, credentials, source.maxAttempts(),
                            source.requestTimeout(), budget, stats);
                    PageBody body = body(http);
                    if (body.records().isEmpty()) {
                        next = following(request, http.next(), body.tree());
                        if (next.isEmpty()) {
                            return report(PullStatus.COMPLETE, Optional.empty());
                        }
                        continue;
                    }
                    staged = pageLog.stage(source, new StagedPage(state.seq(), request, uri, http.next(),
                            clock.instant(), body, source.dataset(), currentVersion));
                    if (!staged.ours()) {
                        LOG.info("page {} was staged by an overlapping run first: writing its copy", state.seq());
                    }
                }
                PageProcessor.Result result = processor.process(staged.page(), state, run);
                counts = counts.plus(result.counts());
                dataParts += result.dataParts();
                quarantineParts += result.quarantineParts();
                newParts += result.newParts();
                PullState advanced = state.after(result.outcome(), scheme, seenCap, clock.instant());
                try {
                    checkpoint = checkpoints.advance(checkpoint, advanced.encode());
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
                if (staged.ours()) {
                    next = following(staged.page().request(), staged.page().nextLink(), staged.page().body().tree());
                    if (next.isEmpty()) {
                        return report(PullStatus.COMPLETE, Optional.empty());
                    }
                } else {
                    next = Optional.empty(); // another run's page: continue from the checkpoint it led to
                }
            }
        }

        /** The response as a page; a body that is not a page is kept in quarantine and fails the source. */
        private PageBody body(PageFetcher.HttpPage http) throws PullStoppedException {
            PageBody body;
            Optional<String> problem;
            try {
                body = PageBody.parse(http.body(), source.recordsField());
                problem = StagedPage.whyNotAPage(body.tree(), source);
            } catch (IOException e) {
                body = null;
                problem = Optional.of("the body is not JSON (" + e.getClass().getSimpleName() + ")");
            }
            if (problem.isEmpty()) {
                return body;
            }
            String key = quarantinePage(http.body(), problem.get());
            quarantinedPage = Optional.of(key);
            throw PullStoppedException.failed("malformed page " + state.seq() + " from GET " + http.uri().getRawPath()
                    + ": " + problem.get() + "; kept as " + key + "; the checkpoint stays before it and the next run "
                    + "asks for it again");
        }

        private String quarantinePage(String body, String reason) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String name = source.identity().stem() + "-page-" + state.seq() + "-"
                    + KeyParts.sha256Hex(bytes).substring(0, 16) + ".json";
            String key = RawZoneLayout.quarantine(PullSource.SOURCE_KIND, source.dataset(),
                    clock.instant().atZone(ZoneOffset.UTC).toLocalDate(), name);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("source", PullSource.SOURCE_KIND);
            metadata.put("source-identity", source.identity().uri());
            metadata.put("page-seq", Long.toString(state.seq()));
            metadata.put("reason", reason.replaceAll("[^\\x20-\\x7e]", "?"));
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
                if (token.equals(request.bound())) {
                    throw PullStoppedException.failed("the API returned the token it was asked with and records: "
                            + "the feed does not advance");
                }
                return Optional.of(PageRequest.first(token));
            }
            PullSource.Pagination pagination = source.pagination().orElseThrow();
            if (hasMoreSaysNo(body, pagination.hasMoreField())) {
                return Optional.empty();
            }
            switch (pagination.style()) {
                case NEXT_TOKEN -> {
                    Optional<String> token = text(body.get(pagination.tokenField()));
                    if (token.isPresent() && token.equals(request.token())) {
                        throw PullStoppedException.failed("the API returned the page token it was asked with: "
                                + "pagination does not advance");
                    }
                    return token.map(request::withToken);
                }
                case LINK -> {
                    if (link.isEmpty()) {
                        return Optional.empty();
                    }
                    if (!LinkHeader.sameOrigin(link.get(), source.endpoint())) {
                        throw PullStoppedException.failed("the Link to the next page leaves the endpoint's origin ("
                                + link.get().getHost() + "); the credential is not sent there");
                    }
                    if (link.equals(request.link())) {
                        throw PullStoppedException.failed("the Link to the next page is the page itself");
                    }
                    return Optional.of(request.withLink(link.get()));
                }
                default -> {
                    return records < source.pageSize() ? Optional.empty()
                            : Optional.of(request.withOffset(request.offset() + records));
                }
            }
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
            credentials.add(value);
            headers.put(auth.header(), auth.type() == PullSource.AuthType.BEARER ? "Bearer " + value : value);
            return headers;
        }

        private SourceReport report(PullStatus status, Optional<String> reason) {
            Map<String, Object> after = state == null ? Map.of() : state.describe(checkpoint.version(), scheme);
            SourceReport report = new SourceReport(source.name(), source.dataset(), status, reason, counts, pages,
                    stats.requests, stats.retries, stats.throttled, stats.waitedMillis, dataParts, quarantineParts,
                    newParts, before, after, quarantinedPage);
            if (status == PullStatus.FAILED) {
                LOG.error("source {} failed: {} {}", source.name(), reason.orElse(""), counts.asMap());
            } else {
                LOG.info("source {} {}: {} pages {} {}", source.name(), status, pages, counts.asMap(),
                        reason.orElse(""));
            }
            return report;
        }
    }

    /** The first page of a new query from the checkpoint: from its lower bound, or its resume token. */
    private static PageRequest fresh(PullSource source, PositionScheme scheme, PullState state) {
        if (scheme.kind() == CursorKind.PAGE_TOKEN) {
            return PageRequest.first(state.cursor().or(() -> source.cursor().initial()));
        }
        return PageRequest.first(state.queryBound(scheme).map(scheme::boundParam));
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
