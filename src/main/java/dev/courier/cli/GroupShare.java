package dev.courier.cli;

import dev.courier.dispatch.RateShare;
import dev.courier.intake.EngineListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.publish.Origin;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows which partitions of the requests topic this instance owns and hands the dispatcher its share of the
 * group's rate budgets on every change (assignment, revocation, loss): the partitions owned over all of them. The
 * count of all partitions is read at start; a partition numbered beyond it (the topic grew) raises it. Passes every
 * event on to the engine's listener. Intake thread, as the listener's calls are.
 */
final class GroupShare implements EngineListener {

    private final EngineListener next;
    private final Consumer<RateShare> dispatcher;
    private final Set<Integer> owned = new HashSet<>();
    private int total;

    /**
     * @param total      partitions of the requests topic at start
     * @param dispatcher where the share goes ({@code Dispatcher::setShare})
     */
    GroupShare(EngineListener next, int total, Consumer<RateShare> dispatcher) {
        this.next = next;
        this.total = Math.max(1, total);
        this.dispatcher = dispatcher;
    }

    @Override
    public void onAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        partitions.forEach(partition -> {
            owned.add(partition.partition());
            total = Math.max(total, partition.partition() + 1);
        });
        dispatcher.accept(new RateShare(owned.size(), total));
        next.onAssigned(partitions);
    }

    @Override
    public void onRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        release(partitions);
        next.onRevoked(partitions);
    }

    @Override
    public void onLost(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        release(partitions);
        next.onLost(partitions);
    }

    private void release(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        partitions.forEach(partition -> owned.remove(partition.partition()));
        dispatcher.accept(new RateShare(owned.size(), total));
    }

    @Override
    public void onTaken(Origin origin) {
        next.onTaken(origin);
    }

    @Override
    public void onAttempt(DispatchRequest request, int attempt, AttemptResult result) {
        next.onAttempt(request, attempt, result);
    }

    @Override
    public void onRetryScheduled(DispatchRequest request, int attempt, Duration delay) {
        next.onRetryScheduled(request, attempt, delay);
    }

    @Override
    public void onRateLimited(DispatchRequest request, String key, Duration waited) {
        next.onRateLimited(request, key, waited);
    }

    @Override
    public void onPublished(Origin origin, Outcome outcome) {
        next.onPublished(origin, outcome);
    }

    @Override
    public void onCommitted(Duration took) {
        next.onCommitted(took);
    }

    @Override
    public void onTransactionAborted() {
        next.onTransactionAborted();
    }

    @Override
    public void onPolled(IntakeView view) {
        next.onPolled(view);
    }
}
