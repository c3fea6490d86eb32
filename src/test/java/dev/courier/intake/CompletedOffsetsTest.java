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

        assertThat(metadata).startsWith("c1:r:").hasSizeLessThan(20);
        assertThat(CompletedOffsets.decode(100, metadata)).containsExactly(finished);
    }

    @Test
    void scatteredCompletionsUseTheBitsetWhenThatIsShorter() {
        Random random = new Random(7);
        long[] finished = LongStream.range(1, 5_000).filter(o -> random.nextBoolean()).map(o -> 1_000 + o).toArray();

        String metadata = CompletedOffsets.encode(1_000, finished);

        assertThat(metadata).startsWith("c1:b:");
        assertThat(CompletedOffsets.decode(1_000, metadata)).containsExactly(finished);
    }

    @Test
    void theWorstCaseAtTheSpanBoundFitsKafkasMetadataLimit() {
        long[] alternate = LongStream.range(1, CompletedOffsets.MAX_SPAN).filter(o -> o % 2 == 1).toArray();

        String metadata = CompletedOffsets.encode(0, alternate);

        assertThat(metadata.length()).isLessThanOrEqualTo(CompletedOffsets.MAX_METADATA);
        assertThat(CompletedOffsets.decode(0, metadata)).containsExactly(alternate);
    }

    @Test
    void metadataCourierDidNotWriteMeansNothingIsKnownFinished() {
        assertThat(CompletedOffsets.decode(5, "written by another tool")).isEmpty();
        assertThat(CompletedOffsets.decode(5, "c1:b:%%%not base64")).isEmpty();
        assertThat(CompletedOffsets.decode(5, "c1:r:AAAA")).isEmpty();
    }
}
