package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One page asked of the API: the lower bound of the query (or, for a page-token source, the token) and where in
 * the query's pages it is: the first page, a next token, an offset or a {@code Link} target.
 */
record PageRequest(Optional<String> bound, Optional<String> token, long offset, Optional<URI> link) {

    static PageRequest first(Optional<String> bound) {
        return new PageRequest(bound, Optional.empty(), 0, Optional.empty());
    }

    PageRequest withToken(String next) {
        return new PageRequest(bound, Optional.of(next), 0, Optional.empty());
    }

    PageRequest withOffset(long next) {
        return new PageRequest(bound, Optional.empty(), next, Optional.empty());
    }

    PageRequest withLink(URI next) {
        return new PageRequest(bound, Optional.empty(), 0, Optional.of(next));
    }

    URI uri(PullSource source) {
        if (link.isPresent()) {
            return link.get();
        }
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> fixed : source.query().entrySet()) {
            pairs.add(pair(fixed.getKey(), fixed.getValue()));
        }
        pairs.add(pair(source.pageSizeParam(), Integer.toString(source.pageSize())));
        bound.ifPresent(value -> pairs.add(pair(source.cursor().param(), value)));
        source.pagination().ifPresent(pagination -> {
            token.ifPresent(value -> pairs.add(pair(pagination.param(), value)));
            if (pagination.style() == PaginationStyle.OFFSET && offset > 0) {
                pairs.add(pair(pagination.param(), Long.toString(offset)));
            }
        });
        return URI.create(source.endpoint() + "?" + String.join("&", pairs));
    }

    void writeTo(ObjectNode json) {
        bound.ifPresent(value -> json.put("bound", value));
        token.ifPresent(value -> json.put("token", value));
        if (offset > 0) {
            json.put("offset", offset);
        }
        link.ifPresent(value -> json.put("link", value.toString()));
    }

    static PageRequest readFrom(JsonNode json) {
        return new PageRequest(text(json, "bound"), text(json, "token"), json.path("offset").asLong(0),
                text(json, "link").map(URI::create));
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static String pair(String name, String value) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
