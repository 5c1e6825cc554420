package dev.rawzone.functions.pull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rawzone.testkit.api.SampleApi;

import java.net.URI;

/** A pull source entry for the sample API, with the variations the tests need. */
final class SourceConfig {
    private final ObjectNode json = PullFixture.MAPPER.createObjectNode();

    private SourceConfig() {
    }

    /** Contacts by {@code updated_since}, ten to a page, following {@code next_page_token}. */
    static SourceConfig contacts(SampleApi api) {
        SourceConfig config = new SourceConfig();
        config.json.put("name", "contacts").put("dataset", "contacts").put("endpoint", api.endpoint().toString())
                .put("page_size", 10).put("page_size_param", "limit").put("records_field", "records")
                .put("id_field", "id").put("max_attempts", 3).put("request_timeout", "PT5S");
        config.json.putObject("auth").put("type", "bearer").put("secret", "secretsmanager:" + PullFixture.SECRET);
        config.json.putObject("cursor").put("kind", "timestamp").put("field", "updated_at")
                .put("param", "updated_since").put("lookback", "PT10M");
        config.json.putObject("pagination").put("style", "next_token").put("param", "page_token")
                .put("token_field", "next_page_token").put("has_more_field", "has_more");
        return config;
    }

    SourceConfig name(String name) {
        json.put("name", name);
        return this;
    }

    SourceConfig dataset(String dataset) {
        json.put("dataset", dataset);
        return this;
    }

    SourceConfig pageSize(int size) {
        json.put("page_size", size);
        return this;
    }

    SourceConfig lookback(String duration) {
        ((ObjectNode) json.get("cursor")).put("lookback", duration);
        return this;
    }

    SourceConfig endpoint(URI endpoint) {
        json.put("endpoint", endpoint.toString());
        return this;
    }

    SourceConfig requestTimeout(String duration) {
        json.put("request_timeout", duration);
        return this;
    }

    SourceConfig maxAttempts(int attempts) {
        json.put("max_attempts", attempts);
        return this;
    }

    SourceConfig secret(String reference) {
        ((ObjectNode) json.get("auth")).put("secret", reference);
        return this;
    }

    SourceConfig secretJsonKey(String key) {
        ((ObjectNode) json.get("auth")).put("secret_json_key", key);
        return this;
    }

    SourceConfig linkPagination() {
        json.putObject("pagination").put("style", "link");
        return this;
    }

    SourceConfig offsetPagination() {
        json.putObject("pagination").put("style", "offset").put("param", "offset");
        return this;
    }

    /** Contacts by {@code since_id} (exclusive), re-reading the last {@code lookback} ids. */
    SourceConfig idCursor(int lookback) {
        json.putObject("cursor").put("kind", "id").put("field", "id").put("param", "since_id")
                .put("initial", "0").put("lookback", lookback);
        return this;
    }

    /** The change feed, resumed from its {@code next_cursor}. */
    SourceConfig changeFeed(SampleApi api) {
        json.put("endpoint", api.changesEndpoint().toString());
        json.remove("pagination");
        json.putObject("cursor").put("kind", "page_token").put("field", "next_cursor").put("param", "cursor")
                .put("has_more_field", "has_more");
        return this;
    }

    ObjectNode json() {
        return json;
    }
}
