package dev.rawzone.core.pull;

/** How the API says where the next page of one query is. */
public enum PaginationStyle {
    /** A token in the body (e.g. {@code next_page_token}), sent back in a query parameter. */
    NEXT_TOKEN,
    /** An RFC 8288 {@code Link: <url>; rel="next"} header; the URL must stay on the endpoint's origin. */
    LINK,
    /** An {@code offset} parameter, advanced by the number of records each page held. */
    OFFSET
}
