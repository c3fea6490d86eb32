package dev.courier.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Keeps the view's store as the status topic says: each record replaces its id's entry (the topic's order is the
 * order of the writes, so of two records of one id the later written wins, as compaction keeps it), a tombstone
 * removes it, and a record already older than the retention when read is not kept. Every {@link #sweepInterval}
 * the entries whose last record is older than the retention (by the stream's wall clock) are dropped from memory:
 * the status topic's own retention has dropped or will drop them too, and nothing is written for them.
 *
 * <p>One instance per stream task, called on its stream thread only.
 */
final class StatusUpdater implements Processor<String, byte[], Void, Void> {

    private final Duration retention;
    private ProcessorContext<Void, Void> context;
    private TimestampedKeyValueStore<String, byte[]> store;

    StatusUpdater(Duration retention) {
        this.retention = retention;
    }

    /** How often old entries are dropped: a tenth of the retention, within 1 s and 1 h. */
    static Duration sweepInterval(Duration retention) {
        Duration tenth = retention.dividedBy(10);
        if (tenth.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(StatusTopology.STORE);
        context.schedule(sweepInterval(retention), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null || record.timestamp() < context.currentSystemTimeMs() - retention.toMillis()) {
            store.delete(record.key());
        } else {
            store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
        }
    }

    /** Drops the entries last written before {@code now} minus the retention. */
    void sweep(long now) {
        long cutoff = now - retention.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<byte[]>> entries = store.all()) {
            while (entries.hasNext()) {
                KeyValue<String, ValueAndTimestamp<byte[]>> entry = entries.next();
                if (entry.value.timestamp() < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
    }
}
