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
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the view's store: each fact about an id is combined with what the store holds for it
 * ({@link RequestStatus#then}), and every {@link #sweepInterval} the entries whose last change is older than the
 * retention (by the stream's wall clock) are deleted, so their tombstones bound the changelog too.
 *
 * <p>One instance per stream task, called on its stream thread only.
 */
final class StatusUpdater implements Processor<String, RequestStatus, Void, Void> {

    private final Duration retention;
    private KeyValueStore<String, RequestStatus> store;

    StatusUpdater(Duration retention) {
        this.retention = retention;
    }

    /** How often old entries are swept out: a tenth of the retention, within 1 s and 1 h. */
    static Duration sweepInterval(Duration retention) {
        Duration tenth = retention.dividedBy(10);
        if (tenth.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StatusTopology.STORE);
        context.schedule(sweepInterval(retention), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, RequestStatus> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        RequestStatus known = store.get(record.key());
        store.put(record.key(), known == null ? record.value() : known.then(record.value()));
    }

    /** Deletes the entries last changed before {@code now} minus the retention. */
    void sweep(long now) {
        long cutoff = now - retention.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, RequestStatus> entries = store.all()) {
            while (entries.hasNext()) {
                KeyValue<String, RequestStatus> entry = entries.next();
                if (entry.value.updatedAt().toEpochMilli() < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
    }
}
