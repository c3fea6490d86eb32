package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.courier.model.RequestValidator;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@code courier produce} says about a line it cannot send, in Courier's words. */
class RequestLinesTest {

    private final RequestLines lines = new RequestLines(new RequestValidator(name -> Optional.empty(), 64));

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "this is not json | at column 1, expected a JSON object starting with '{', found 'this'",
        "`{\"id\": \"a\", \"url\": \"https://a.example.com\"` | the line ends after column 42 before the JSON is"
                + " complete; expected '}' to close the object",
        "`{\"id\": \"a\", \"url\": \"https://a.exa` | the line ends after column 33 before the JSON is complete;"
                + " expected '\"' to close the string",
        "`{\"id\" \"a\"}` | at column 7, expected ':' after the field name, found '\"'",
        "`{\"id\": \"a\",}` | at column 12, expected a field name in double quotes, found '}'",
        "`{id: \"a\"}` | at column 2, expected a field name in double quotes, found 'id'",
        "`{\"id\": \"a\" \"url\": 1}` | at column 12, expected ',' or '}', found '\"'",
        "`{\"id\": tru}` | at column 8, expected a value (a string in double quotes, a number, an object, an array,"
                + " true, false or null), found 'tru'",
        "`{\"id\": \"a\"} x` | at column 13, found 'x' after the end of the object; give one JSON object per line",
        "`{\"id\": \"a\", \"id\": \"b\"}` | at column 17, field \"id\" is given a second time",
        "`{\"headers\": {\"a\": [1, 2}}` | at column 24, expected ']' to close the array, found '}'",
    })
    void jsonThatDoesNotParseIsDescribedByColumnWithWhatWasExpected(String line, String reason) {
        assertThatThrownBy(() -> lines.read(line)).isInstanceOf(RequestLines.Rejected.class).hasMessage(reason)
                .hasMessageNotContaining("Source").hasMessageNotContaining("Unexpected");
    }

    @Test
    void anUnknownFieldIsNamedWithTheNearestKnownOneAndTheListIsLeftForTheEnd() {
        RequestLines.Rejected rejected = catchThrowableOfType(RequestLines.Rejected.class,
                () -> lines.read("{\"kye\": \"k\", \"id\": \"a\", \"url\": \"https://a.example.com\", \"zzzzzzzz\": 1}"));

        assertThat(rejected).hasMessage("unknown field \"kye\" (did you mean \"key\"?); unknown field \"zzzzzzzz\"");
        assertThat(rejected.hints()).containsExactly(RequestLines.Hint.KNOWN_FIELDS);
    }

    @Test
    void theListOfFieldsHasTheKeyAndEveryFieldOfTheRequestSchema() {
        assertThat(RequestLines.Hint.KNOWN_FIELDS.explanation()).isEqualTo("The fields of a request line are key,"
                + " keyBase64, id, method, url, target, path, headers, body, bodyBase64, contentType, timeoutMs,"
                + " maxAttempts, deadline, idempotencyKey, correlationId, rateLimitKey, attributes.");
    }

    @Test
    void theHelpOfProduceNamesEveryField() {
        String help = Cli.run("produce", "--help").out();

        assertThat(RequestLines.FIELDS).allSatisfy(field -> assertThat(help).contains(field));
    }

    @Test
    void aDeadLetterAsConsumePrintsItIsRecognisedAndNotTakenForARequest() {
        String deadLetter = "{\"key\":\"order-1004\",\"requestId\":\"req-0004\",\"request\":{\"id\":\"req-0004\","
                + "\"method\":\"DELETE\",\"url\":\"http://localhost:8090/missing\"},\"category\":\"HTTP_CLIENT_ERROR\","
                + "\"lastStatusCode\":404,\"errorMessage\":\"HTTP 404 Not Found\",\"attempts\":1,"
                + "\"failedAt\":\"2026-11-21T10:15:30.123Z\",\"sourceTopic\":\"courier.requests\",\"sourcePartition\":2,"
                + "\"sourceOffset\":0,\"replayCount\":0}";

        RequestLines.Rejected rejected = catchThrowableOfType(RequestLines.Rejected.class, () -> lines.read(deadLetter));

        assertThat(rejected).hasMessage("this is a dead letter (as courier consume --topic dead-letters prints it),"
                + " not a request");
        assertThat(rejected.hints()).containsExactly(RequestLines.Hint.DEAD_LETTER);
        assertThat(RequestLines.Hint.DEAD_LETTER.explanation()).contains("jq -c '.request + {key}'")
                .contains("no replay command yet");
    }

    @Test
    void aResultIsRecognisedToo() {
        assertThatThrownBy(() -> lines.read("{\"requestId\":\"a\",\"statusCode\":200,\"attempts\":1}"))
                .hasMessage("this is a result (as courier consume --topic results prints it), not a request");
    }

    @Test
    void aGoodLineIsAccepted() {
        RequestLines.Accepted accepted = lines.read("{\"key\": \"k\", \"id\": \"a\", \"url\": \"https://a.example.com\"}");

        assertThat(accepted.request().id()).isEqualTo("a");
        assertThat(new String(accepted.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("k");
    }
}
