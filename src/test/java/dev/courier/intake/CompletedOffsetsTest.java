package dev.courier.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CompletedOffsetsTest {

    @Test
    void nothingFinishedIsAnEmptyString() {
        assertThat(CompletedOffsets.encode(100, new long[0])).isEmpty();
        assertThat(CompletedOffsets.decode(100, "")).isEmpty();
    }

    @Test
    void aLongRunAfterOneStuckEventIsTinyAsRunLengths() {
        long[] finished = LongStream.range(101, 20_101).toArray();

        String metadata = CompletedOffsets.encode(100, finished);

        assertThat(metadata).startsWith("c2:100:r:").hasSizeLessThan(25);
        assertThat(CompletedOffsets.decode(100, metadata)).containsExactly(finished);
    }

    @Test
    void scatteredCompletionsUseTheBitsetWhenThatIsShorter() {
        Random random = new Random(7);
        long[] finished = LongStream.range(1, 5_000).filter(o -> random.nextBoolean()).map(o -> 1_000 + o).toArray();

        String metadata = CompletedOffsets.encode(1_000, finished);

        assertThat(metadata).startsWith("c2:1000:b:");
        assertThat(CompletedOffsets.decode(1_000, metadata)).containsExactly(finished);
    }

    @Test
    void theWorstCaseAtTheSpanBoundFitsKafkasMetadataLimit() {
        long committed = Long.MAX_VALUE - CompletedOffsets.MAX_SPAN; // the longest offset in decimal
        long[] alternate = LongStream.range(1, CompletedOffsets.MAX_SPAN).filter(o -> o % 2 == 1)
                .map(o -> committed + o).toArray();

        String metadata = CompletedOffsets.encode(committed, alternate);

        assertThat(metadata.length()).isLessThanOrEqualTo(CompletedOffsets.MAX_METADATA);
        assertThat(CompletedOffsets.decode(committed, metadata)).containsExactly(alternate);
    }

    @Test
    void metadataCourierDidNotWriteMeansNothingIsKnownFinished() {
        assertThat(CompletedOffsets.decode(5, "written by another tool")).isEmpty();
        assertThat(CompletedOffsets.decode(5, "c1:b:%%%not base64")).isEmpty();
        assertThat(CompletedOffsets.decode(5, "c2:5:b:%%%not base64")).isEmpty();
    }

    @Test
    void metadataWrittenForAnotherOffsetMeansNothingIsKnownFinished() {
        String metadata = CompletedOffsets.encode(100, new long[] {101, 102});

        assertThat(CompletedOffsets.decode(100, metadata)).containsExactly(101, 102);
        assertThat(CompletedOffsets.decode(0, metadata)).as("an offset reset tool moved the offset back").isEmpty();
        assertThat(CompletedOffsets.decode(1000, metadata)).isEmpty();
        assertThat(CompletedOffsets.decode(10, metadata)).as("a prefix of the recorded offset").isEmpty();
    }

    @Test
    void theFirstFormatWhichDidNotRecordItsOffsetIsNotTrusted() {
        assertThat(CompletedOffsets.decode(5, "c1:r:AQE")).isEmpty();
    }
}
