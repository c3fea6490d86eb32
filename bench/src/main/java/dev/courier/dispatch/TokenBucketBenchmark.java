package dev.courier.dispatch;

import io.github.bucket4j.Bucket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Token acquisition as the dispatcher's {@code CallGate} does it, on its one thread: check that the key's bucket and
 * the global bucket both hold a token, then take one from each. The buckets come from the package-private
 * {@link TokenBuckets} (Bucket4j, unsynchronized, on a nano clock), with rates high enough never to run dry, so this is
 * the cost of the bookkeeping per attempt; {@code emptyBucketWait} is the cost of finding a bucket empty and asking
 * how long until its next token.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenBucketBenchmark {

    private Bucket global;
    private Bucket perKey;
    private Bucket empty;

    @Setup
    public void setUp() {
        TokenBuckets buckets = new TokenBuckets(System::nanoTime);
        global = buckets.bucket(1e9, 1_000_000_000L);
        perKey = buckets.bucket(1e9, 1_000_000_000L);
        empty = buckets.bucket(0.5, 1);
        empty.tryConsume(1);
    }

    @Benchmark
    public boolean checkBothThenTakeFromBoth() {
        if (TokenBuckets.hasToken(perKey) && TokenBuckets.hasToken(global)) {
            perKey.tryConsume(1);
            return global.tryConsume(1);
        }
        return false;
    }

    @Benchmark
    public boolean globalOnly() {
        return TokenBuckets.hasToken(global) && global.tryConsume(1);
    }

    @Benchmark
    public long emptyBucketWait() {
        return TokenBuckets.hasToken(empty) ? 0 : TokenBuckets.nanosToToken(empty);
    }
}
