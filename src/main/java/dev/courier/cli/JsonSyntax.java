package dev.courier.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.io.JsonEOFException;

/**
 * Says in Courier's words where a line of JSON breaks and what was expected there, for {@code courier produce}:
 * "at column 7, expected ':' after the field name, found '"'". Jackson's own messages (with its internal
 * vocabulary and "[Source: REDACTED ...]") are never shown; phrases Jackson does not use here read "valid JSON".
 * Stateless.
 */
final class JsonSyntax {

    private static final int MAX_SHOWN = 20;

    private JsonSyntax() {
    }

    /** A sentence for the JSON error {@code e} in {@code line}: the column, what was expected, what was found. */
    static String describe(String line, JsonProcessingException e) {
        int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
        String jackson = String.valueOf(e.getOriginalMessage());
        String within = within(e);
        if (jackson.startsWith("Duplicate field '")) {
            String name = jackson.substring("Duplicate field '".length(), jackson.length() - 1);
            return "at column " + column + ", field \"" + name + "\" is given a second time";
        }
        if (e instanceof JsonEOFException || jackson.startsWith("Unexpected end-of-input")) {
            String expected = jackson.contains("closing quote") ? "'\"' to close the string"
                    : within.equals("Array") ? "']' to close the array" : "'}' to close the object";
            return "the line ends after column " + line.length() + " before the JSON is complete; expected " + expected;
        }
        String found = found(line, column);
        if (within.equals("ROOT")) {
            String before = column > 1 && column - 1 <= line.length() ? line.substring(0, column - 1).trim() : "";
            return before.endsWith("}")
                    ? "at column " + column + ", found " + found + " after the end of the object; give one JSON"
                            + " object per line"
                    : "at column " + column + ", expected a JSON object starting with '{', found " + found;
        }
        return "at column " + column + ", expected " + expected(jackson) + ", found " + found;
    }

    /** Where the parser was: {@code ROOT}, {@code Object} or {@code Array}. */
    private static String within(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser parser) {
            JsonStreamContext context = parser.getParsingContext();
            if (context != null && !context.inRoot()) {
                return context.inArray() ? "Array" : "Object";
            }
        }
        return "ROOT";
    }

    private static String expected(String jackson) {
        if (jackson.contains("double-quote to start field name")) {
            return "a field name in double quotes";
        }
        if (jackson.contains("colon to separate field name and value")) {
            return "':' after the field name";
        }
        if (jackson.contains("comma to separate Object entries")) {
            return "',' or '}'";
        }
        if (jackson.contains("comma to separate Array entries")) {
            return "',' or ']'";
        }
        if (jackson.contains("expected ']'")) {
            return "']' to close the array";
        }
        if (jackson.contains("expected '}'")) {
            return "'}' to close the object";
        }
        if (jackson.startsWith("Illegal unquoted character")) {
            return "a character allowed in a string (write control characters escaped, as \\t or \\n)";
        }
        if (jackson.contains("numeric value")) {
            return "a number";
        }
        if (jackson.contains("was expecting (JSON String, Number, Array, Object")) {
            return "a value (a string in double quotes, a number, an object, an array, true, false or null)";
        }
        return "valid JSON";
    }

    /** The word or character at the 1-based {@code column}, quoted; "the end of the line" past it. */
    private static String found(String line, int column) {
        int at = column - 1;
        if (at < 0 || at >= line.length()) {
            return "the end of the line";
        }
        int end = at + 1;
        if (Character.isLetterOrDigit(line.charAt(at))) {
            while (end < line.length() && end - at < MAX_SHOWN && Character.isLetterOrDigit(line.charAt(end))) {
                end++;
            }
        }
        String shown = line.substring(at, end);
        if (shown.equals("\t")) {
            return "a tab";
        }
        return shown.chars().allMatch(c -> c >= ' ') ? "'" + shown + "'" : "a control character";
    }
}
