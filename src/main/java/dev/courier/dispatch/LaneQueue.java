package dev.courier.dispatch;

/** A FIFO of lanes linked through {@link Lane#nextQueued}, so queueing allocates nothing. Dispatch thread only. */
final class LaneQueue<C> {

    private Lane<C> head;
    private Lane<C> tail;

    void add(Lane<C> lane) {
        lane.nextQueued = null;
        if (tail == null) {
            head = lane;
        } else {
            tail.nextQueued = lane;
        }
        tail = lane;
    }

    Lane<C> peek() {
        return head;
    }

    Lane<C> poll() {
        Lane<C> lane = head;
        if (lane != null) {
            head = lane.nextQueued;
            lane.nextQueued = null;
            if (head == null) {
                tail = null;
            }
        }
        return lane;
    }
}
