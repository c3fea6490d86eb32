package dev.courier.cli;

/** Small helpers for what commands print. */
final class Text {

    private Text() {
    }

    /** "1 event", "2 events". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
