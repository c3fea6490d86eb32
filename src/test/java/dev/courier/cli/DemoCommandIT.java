package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code courier demo}, the README's main-job command, in-process. */
class DemoCommandIT {

    @Test
    @Timeout(180)
    void theDemoProcessesEverySampleEventAndFindsExactlyOneOutcomeForEach() {
        Cli.Run run = Cli.run("demo", "--events", "120");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Published 120 request events and 2 records that are not events")
                .contains("Courier demo: 122 records in")
                .containsPattern("Results +\\d+")
                .contains("HTTP 200")
                .containsPattern("HTTP_CLIENT_ERROR +12")
                .containsPattern("RETRIES_EXHAUSTED +6")
                .containsPattern("EXPIRED +6")
                .containsPattern("INVALID_REQUEST +6")
                .containsPattern("UNDECODABLE +2")
                .contains("122 of 122 records accounted for, 0 missing, 0 duplicated")
                .contains("Every event has exactly one outcome.")
                .contains("Status of demo-00011 from the status view (courier status demo-00011 --admin http://127.0.0.1:")
                .containsPattern("\\{\"id\":\"demo-00011\",\"state\":\"succeeded\",\"statusCode\":200,\"attempts\":3,");
        assertThat(run.err()).as("standard error is not a terminal here: no progress bar, no colour")
                .contains("Processing 122 records...").doesNotContain("\u001b").doesNotContain("\r");
    }
}
