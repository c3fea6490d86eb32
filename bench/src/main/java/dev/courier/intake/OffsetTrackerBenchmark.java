package dev.courier.intake;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Offset tracking as the engine does it: every event is taken (intake thread) and later finished (producer callback),
 * with {@code inFlight} events outstanding per partition, finished in random order (unordered dispatch), and the
 * committable offsets asked for every 1,000 events. One operation is one event's take plus one event's finish.
 * In the same package as the package-private {@link OffsetTracker}, so it measures the real class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OffsetTrackerBenchmark {

    private static final long EPOCH = 1;

    private static final int PARTITIONS = 6;

    @Param({"256", "2000"})
    int inFlight;

    private OffsetTracker tracker;
    private TopicPartition[] partitions;
    private long[][] window;
    private long[] nextOffset;
    private SplittableRandom random;
    private long operations;

    @Setup(Level.Iteration)
    public void setUp() {
        tracker = new OffsetTracker();
        partitions = new TopicPartition[PARTITIONS];
        window = new long[PARTITIONS][inFlight];
        nextOffset = new long[PARTITIONS];
        random = new SplittableRandom(42);
        for (int p = 0; p < PARTITIONS; p++) {
            partitions[p] = new TopicPartition("requests", p);
            tracker.assigned(partitions[p], null, EPOCH);
            for (int i = 0; i < inFlight; i++) {
                window[p][i] = nextOffset[p]++;
                tracker.take(partitions[p], window[p][i]);
            }
        }
    }

    @Benchmark
    public Object takeAndFinishOutOfOrder() {
        int p = (int) (operations % PARTITIONS);
        int slot = random.nextInt(inFlight);
        tracker.finish(partitions[p], window[p][slot], EPOCH);
        long offset = nextOffset[p]++;
        tracker.take(partitions[p], offset);
        window[p][slot] = offset;
        if (++operations % 1000 == 0) {
            var offsets = tracker.committable();
            tracker.committed(offsets);
            return offsets;
        }
        return null;
    }

    @Benchmark
    public Object takeAndFinishInOrder() {
        int p = (int) (operations % PARTITIONS);
        long oldest = nextOffset[p] - inFlight;
        tracker.finish(partitions[p], oldest, EPOCH);
        tracker.take(partitions[p], nextOffset[p]++);
        if (++operations % 1000 == 0) {
            var offsets = tracker.committable();
            tracker.committed(offsets);
            return offsets;
        }
        return null;
    }
}
