package dev.courier.publish;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The progress of an event whose outcome goes out as two records, the outcome and its status: covered (then
 * visible) once both parts are, dropped as soon as either part is. Like any {@link OutcomePublisher.Progress}, the
 * event hears exactly one of covered and dropped. Each part is told once, in any order, from any thread.
 */
final class JointProgress {

    private final OutcomePublisher.Progress event;
    private final AtomicInteger covered = new AtomicInteger();
    private final AtomicInteger visible = new AtomicInteger();
    private final AtomicBoolean decided = new AtomicBoolean();
    private final OutcomePublisher.Progress part = new OutcomePublisher.Progress() {
        @Override
        public void covered() {
            if (covered.incrementAndGet() == 2 && decided.compareAndSet(false, true)) {
                event.covered();
            }
        }

        @Override
        public void visible() {
            if (visible.incrementAndGet() == 2 && covered.get() == 2) {
                event.visible();
            }
        }

        @Override
        public void dropped() {
            if (decided.compareAndSet(false, true)) {
                event.dropped();
            }
        }
    };

    JointProgress(OutcomePublisher.Progress event) {
        this.event = event;
    }

    /** What each of the two parts reports to; the same for both. */
    OutcomePublisher.Progress part() {
        return part;
    }
}
