package dev.rawzone.core.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A page as fetched and kept in the page log: what was asked, when, the {@code Link} to the next page, the body
 * (kept as the text the API sent), and the dataset and newest schema version it is written with (as configured
 * when it was staged). Everything written from a page is a function of this and of the checkpoint it was fetched
 * at, so processing it again (after a crash, or by an overlapping run, in a container that read a newer
 * configuration) writes the same parts under the same names.
 */
record StagedPage(long seq, PageRequest request, URI url, Optional<URI> nextLink, Instant fetchedAt, PageBody body,
                  String dataset, int schemaVersion) {

    /** Why a response body cannot be a page of this source, or empty if it can. */
    static Optional<String> whyNotAPage(JsonNode body, PullSource source) {
        if (body == null || !body.isObject()) {
            return Optional.of("the body is not a JSON object");
        }
        JsonNode records = body.get(source.recordsField());
        if (records == null || !records.isArray()) {
            return Optional.of("the body has no \"" + source.recordsField() + "\" array");
        }
        return Optional.empty();
    }

    byte[] toBytes(PullSource source, ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("source", source.identity().uri());
        json.put("seq", seq);
        request.writeTo(json.putObject("request"));
        json.put("url", url.toString());
        nextLink.ifPresent(link -> json.put("next_link", link.toString()));
        json.put("fetched_at", fetchedAt.toString());
        json.put("dataset", dataset);
        json.put("schema_version", schemaVersion);
        json.put("body", body.text());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            mapper.writeValue(out, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static StagedPage fromBytes(byte[] bytes, PullSource source, ObjectMapper mapper) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            JsonNode json = mapper.readTree(in);
            JsonNode body = json.get("body");
            // pages staged before bodies were kept as text hold the parsed body
            String text = body.isTextual() ? body.textValue() : body.toString();
            return new StagedPage(json.get("seq").asLong(), PageRequest.readFrom(json.path("request")),
                    URI.create(json.get("url").asText()),
                    Optional.ofNullable(json.get("next_link")).map(link -> URI.create(link.asText())),
                    Instant.parse(json.get("fetched_at").asText()), PageBody.parse(text, source.recordsField()),
                    json.get("dataset").asText(), json.get("schema_version").asInt());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a page in the page log is unreadable: " + e.getMessage(), e);
        }
    }
}
