package dev.courier.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A {@link Clock} that reads a {@link Scheduler}'s nano time, as an instant counted from an origin, in UTC. */
final class SchedulerClock extends Clock {

    private final Scheduler scheduler;
    private final Instant origin;

    /** @param origin the instant at the scheduler's nano time 0 */
    SchedulerClock(Scheduler scheduler, Instant origin) {
        this.scheduler = scheduler;
        this.origin = origin;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(scheduler.nanoTime());
    }
}
