package dev.rawzone.core.pull;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the {@code rel="next"} target in RFC 8288 {@code Link} headers, resolved against the request's URI. */
final class LinkHeader {
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile("rel\\s*=\\s*(\"[^\"]*\"|[^\\s;,]+)", Pattern.CASE_INSENSITIVE);

    private LinkHeader() {
    }

    static Optional<URI> next(List<String> headers, URI request) {
        for (String header : headers) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher rel = REL.matcher(link.group(2));
                while (rel.find()) {
                    String relations = rel.group(1).replace("\"", "").toLowerCase(Locale.ROOT);
                    if (List.of(relations.split("\\s+")).contains("next")) {
                        try {
                            return Optional.of(resolve(request, link.group(1).strip()));
                        } catch (IllegalArgumentException e) {
                            return Optional.empty();
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * RFC 3986 resolution; {@link URI#resolve} follows RFC 2396, which would drop the last path segment of a
     * query-only reference such as {@code ?page=2}.
     */
    private static URI resolve(URI request, String reference) {
        if (reference.startsWith("?")) {
            String base = request.toString();
            int cut = base.indexOf('?') >= 0 ? base.indexOf('?') : base.indexOf('#');
            return URI.create((cut < 0 ? base : base.substring(0, cut)) + reference);
        }
        return request.resolve(reference);
    }

    /** Whether a link stays on the endpoint's scheme, host and port (the credential is sent only there). */
    static boolean sameOrigin(URI link, URI endpoint) {
        return link.getScheme() != null && link.getScheme().equalsIgnoreCase(endpoint.getScheme())
                && link.getHost() != null && link.getHost().equalsIgnoreCase(endpoint.getHost())
                && port(link) == port(endpoint);
    }

    /** How a link leaves the endpoint's origin, for the message: its scheme, its host, or only its port. */
    static String originDifference(URI link, URI endpoint) {
        if (link.getScheme() == null || !link.getScheme().equalsIgnoreCase(endpoint.getScheme())) {
            return "scheme " + link.getScheme() + ", the endpoint's is " + endpoint.getScheme();
        }
        if (link.getHost() == null || !link.getHost().equalsIgnoreCase(endpoint.getHost())) {
            return "host " + link.getHost() + ", the endpoint's is " + endpoint.getHost();
        }
        return "port " + port(link) + ", the endpoint's is " + port(endpoint);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
