package dev.courier.publish;

/**
 * The forms of an outcome record, from whole to minimal. An outcome whose record would pass the size limit
 * is sent in the first form, in this order, that fits; the minimal one always fits, since it keeps only
 * short fields (each capped) and the source coordinates.
 */
enum Reduction {

    /** The outcome as it is. */
    WHOLE("", "whole"),
    /** Without the response body (a result) or the request body (a dead letter). */
    WITHOUT_BODY("body", "without its body"),
    /** Also without the response headers (a result), the request's headers, and the attributes. */
    WITHOUT_HEADERS_AND_ATTRIBUTES("body,headers,attributes", "without its body, headers and attributes"),
    /** Also without the raw key and value of a record that was not an event (a dead letter). */
    WITHOUT_RAW_KEY_AND_VALUE("body,headers,attributes,raw", "without its body, headers, attributes, raw key and value"),
    /**
     * Only the request id, the category, the error message and the source coordinates (a dead letter), or the
     * status, attempts and ids (a result); the record has no key (it goes to the partition the key would choose)
     * and no trace headers. Ids and messages are cut to a few KiB.
     */
    MINIMAL("body,headers,attributes,raw,request,key,trace", "in its minimal form");

    private final String dropped;
    private final String description;

    Reduction(String dropped, String description) {
        this.dropped = dropped;
        this.description = description;
    }

    /** What this form leaves out, as the {@code courier-dropped} header says it. */
    String dropped() {
        return dropped;
    }

    /** How this form is sent, for messages: "without its body", say. */
    String description() {
        return description;
    }

    /** The next smaller form, or this one when it is the smallest. */
    Reduction next() {
        return this == MINIMAL ? MINIMAL : values()[ordinal() + 1];
    }

    boolean dropsAtLeast(Reduction other) {
        return compareTo(other) >= 0;
    }
}
