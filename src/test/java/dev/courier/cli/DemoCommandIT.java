package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code courier demo}, the README's main-job command, in-process. */
class DemoCommandIT {

    @Test
    @Timeout(180)
    void theDemoProcessesEverySampleEventAndFindsExactlyOneOutcomeForEach() {
        Cli.Run run = Cli.run("demo"); // as the README runs it: 300 events

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Published 300 request events and 2 records that are not events")
                .contains("Courier demo: 302 records in")
                .containsPattern("Results +\\d+")
                .contains("HTTP 200")
                .containsPattern("HTTP_CLIENT_ERROR +30")
                .containsPattern("RETRIES_EXHAUSTED +15")
                .containsPattern("EXPIRED +15")
                .containsPattern("INVALID_REQUEST +15")
                .containsPattern("UNDECODABLE +2")
                .contains("302 of 302 records accounted for, 0 missing, 0 duplicated")
                .contains("Every event has exactly one outcome.")
                .contains("Status of demo-00011 from the status view (courier status demo-00011 --admin http://127.0.0.1:")
                .containsPattern("\\{\"id\":\"demo-00011\",\"state\":\"succeeded\",\"statusCode\":200,\"attempts\":3,");
        assertThat(run.err()).as("standard error is not a terminal here: no progress bar, no colour")
                .contains("Processing 302 records...").doesNotContain("\u001b").doesNotContain("\r");
    }
}
