package dev.rawzone.core.pull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.core.validate.RecordValidator;
import dev.rawzone.core.validate.Validation;
import dev.rawzone.core.write.Position;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the first page of a source, from a fresh checkpoint, would become under the engine's own rules, with nothing
 * staged, written or committed: the request, each record with its position (its cursor value and id as the API sent
 * them) and whether it would be written, skipped as a repeat within the page, or quarantined and why, and the
 * checkpoint the page would leave. {@link SourcePuller#check} fetches the page; this judges it.
 */
final class SourceCheck {
    private static final int MAX_TEXT = 120;

    private final PullSource source;
    private final PositionScheme scheme;
    private final RecordValidator validator;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final int seenCap;

    SourceCheck(PullSource source, PositionScheme scheme, RecordValidator validator, ObjectMapper mapper, Clock clock,
                int seenCap) {
        this.source = source;
        this.scheme = scheme;
        this.validator = validator;
        this.mapper = mapper;
        this.clock = clock;
        this.seenCap = seenCap;
    }

    /** The source could not be checked: no secret, no schema, or the API did not answer with a page. */
    ObjectNode failed(URI request, String reason) {
        return header(request).put("status", "failed").put("reason", reason);
    }

    ObjectNode page(PullState fresh, PageFetcher.HttpPage http, int schemaVersion) {
        PageBody body;
        try {
            body = PageBody.parse(http.body().text(PageFetcher.MAX_BODY_BYTES), source.recordsField());
        } catch (ReceivedBody.UndecodableException | CappedBody.TooLargeException e) {
            return failed(http.uri(), "the body cannot be read: " + e.getMessage());
        } catch (JsonProcessingException e) {
            return failed(http.uri(), "the body is not JSON: " + e.getOriginalMessage()); // without the body's text
        } catch (IOException e) {
            return failed(http.uri(), "the body is not JSON (" + e.getClass().getSimpleName() + ")");
        }
        Optional<String> notAPage = StagedPage.whyNotAPage(body.tree(), source);
        if (notAPage.isPresent()) {
            return failed(http.uri(), "the body is not a page: " + notAPage.get());
        }
        ObjectNode report = header(http.uri()).put("status", "ok");
        report.put("schema", source.dataset() + " v" + schemaVersion);
        ArrayNode records = report.putArray("records");
        List<Position> settled = new ArrayList<>();
        Set<Position> placed = new HashSet<>();
        BigInteger highest = null;
        long written = 0;
        long quarantined = 0;
        long duplicates = 0;
        List<PageBody.Element> elements = body.records();
        for (int i = 0; i < elements.size(); i++) {
            PageBody.Element element = elements.get(i);
            ObjectNode line = records.addObject();
            if (!(element.tree() instanceof ObjectNode record)) {
                line.put("text", shortened(element.text()));
                quarantined++;
                quarantine(line, element.problem() != null ? "invalid JSON: " + element.problem() : "not a JSON object");
                continue;
            }
            line.set("cursor", orNull(record.get(source.cursor().field())));
            line.set("id", orNull(record.get(source.idField())));
            PositionScheme.Placement placement = scheme.place(record, fresh.seq(), i);
            if (placement instanceof PositionScheme.Unplaceable unplaceable) {
                quarantined++;
                quarantine(line, unplaceable.reason());
                continue;
            }
            Position position = ((PositionScheme.Placed) placement).position();
            line.put("position", position.toString());
            if (!placed.add(position)) {
                duplicates++;
                line.put("outcome", "duplicate").put("reason", "the same record version is earlier in the page");
                continue;
            }
            if (scheme.kind() != CursorKind.PAGE_TOKEN && !fresh.seen().covers(position)) {
                quarantined++;
                quarantine(line, "below the requested lower bound " + fresh.seen().from());
                continue;
            }
            settled.add(position);
            highest = highest == null ? position.major() : highest.max(position.major());
            Validation validation = validator.validate(source.dataset(), record, schemaVersion);
            if (validation instanceof Validation.Invalid invalid) {
                quarantined++;
                quarantine(line, invalid.reason());
            } else {
                written++;
                line.put("outcome", "write").put("schema_version", validation.version());
            }
        }
        report.putObject("counts").put("in", elements.size()).put("written", written).put("quarantined", quarantined)
                .put("duplicates", duplicates);
        PullState after = fresh;
        if (!elements.isEmpty()) {
            Optional<String> token = scheme.kind() == CursorKind.PAGE_TOKEN
                    ? Optional.ofNullable(body.tree().get(source.cursor().field())).filter(JsonNode::isTextual)
                            .map(JsonNode::textValue).filter(text -> !text.isEmpty())
                    : Optional.empty();
            after = fresh.after(new PullState.PageOutcome(settled, Optional.ofNullable(highest), token, elements.size()), scheme,
                    seenCap, clock.instant());
        }
        report.set("checkpoint_after", mapper.valueToTree(after.describe(elements.isEmpty() ? 0 : 1, scheme)));
        return report;
    }

    private ObjectNode header(URI request) {
        ObjectNode report = mapper.createObjectNode();
        report.put("source", source.name()).put("dataset", source.dataset()).put("request", "GET " + request);
        return report;
    }

    private static void quarantine(ObjectNode line, String reason) {
        line.put("outcome", "quarantine").put("reason", reason);
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? NullNode.getInstance() : value;
    }

    private static String shortened(byte[] text) {
        String value = new String(text, StandardCharsets.UTF_8);
        return value.length() <= MAX_TEXT ? value : value.substring(0, MAX_TEXT) + "...";
    }
}
