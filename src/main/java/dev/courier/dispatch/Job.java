package dev.courier.dispatch;

import dev.courier.model.Attempts;
import dev.courier.model.DispatchRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One event on its way through the dispatcher, from submission to its outcome or abandonment.
 *
 * <p>Confinement: {@link #stage}, {@link #holdsSlot} and the links are read and written only on the dispatch
 * thread. {@link #attempts} and {@link #lastStatus} belong to whichever thread runs the job's attempt: the dispatch
 * thread hands the job to one worker at a time and gets it back through the scheduler, and both hand-overs order
 * the writes before the reads. Whether the job was reported or abandoned is decided once, by compare-and-set, on
 * any thread.
 */
final class Job<C> {

    /** Where the job is; the dispatch thread moves it along. */
    enum Stage {
        /** Behind an earlier job with its ordering key. */
        BEHIND_KEY,
        /**
         * Its turn came, but its rate-limit key has as many jobs counted in flight as it may: parked until one ends.
         */
        PARKED,
        /** Waiting for its host's circuit to let a call through. */
        CIRCUIT,
        /** Waiting for its key's pause to end, or for a token of its rate-limit buckets. */
        TOKENS,
        /** Waiting for a free call slot of its host. */
        HOST,
        /** Waiting for a free worker. */
        READY,
        /** With a worker: its attempt is being made or decided, or its outcome delivered. */
        RUNNING,
        /** Waiting for the delay before its next attempt. */
        RETRY,
        /** Done with: its ordering key and host slot are given back. */
        FINISHED
    }

    private static final int LIVE = 0;
    private static final int REPORTED = 1;
    private static final int ABANDONED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Job.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final DispatchRequest request;
    /** Jobs with an equal key run one at a time, in submission order; null for none. */
    final Object orderingKey;
    final C context;
    /** The rate-limit key whose budget and in-flight share the job draws on. */
    final String keyName;
    /** The job's place in its key's count for the submitting threads ({@link KeyLoad}), given back when it leaves. */
    KeyLoad.Count load;
    private final StageCounts stages;

    // dispatch thread only
    /** Where the job is; {@link #moveTo} changes it. Null until the job reaches its first stage. */
    Stage stage;
    /** When the job began to wait for a token it did not get at once ({@link Scheduler#nanoTime}); 0 when not. */
    long tokenWaitSince;
    /** Set by a drain while the job is in a call: if the call ends in a decision to retry, the job is abandoned. */
    boolean drained;
    /** Holds one of its host's call slots ({@link HostSlots}), given back when its attempt ends. */
    boolean holdsSlot;
    /** In a lane of the call gate. */
    boolean waitingForTokens;
    /** The state of {@link #keyName} while the job is in the dispatcher; null once it has left. */
    KeyState<C> key;
    /**
     * The state of the host the call goes to ({@link Hosts#origin}): whose circuit, pause and adaptive rate apply.
     * Read by the worker running the job's attempt too (the hand-over orders the write before the read).
     */
    HostState<C> host;
    /** Among the jobs of its key counted in flight, rather than parked. */
    boolean counted;
    /** Holds a permission of its host's circuit, to be given back or recorded with the call's result. */
    boolean circuitPermit;
    /** The circuit's epoch when the permission was taken ({@link HostCircuit#epoch}). */
    int circuitEpoch;
    /** Waited at its host's open circuit at some point: its dead letter says so. */
    boolean circuitWaited;
    /** The next job in whichever {@link JobQueue} holds this one; a job is in at most one at a time. */
    Job<C> nextQueued;
    /** The next job with the same ordering key, submitted after this one. */
    Job<C> nextInOrder;
    Job<C> previousLive;
    Job<C> nextLive;

    // the thread running the job's attempt
    Attempts attempts = Attempts.NONE;
    Integer lastStatus;
    /** What the last attempt said about the key and host, until the dispatch thread acts on it. */
    Feedback feedback;

    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    Job(DispatchRequest request, Object orderingKey, C context, String keyName, StageCounts stages) {
        this.keyName = keyName;
        this.request = request;
        this.orderingKey = orderingKey;
        this.context = context;
        this.stages = stages;
    }

    /** Moves the job to {@code next}, keeping the dispatcher's counts of each stage. Dispatch thread. */
    void moveTo(Stage next) {
        if (stage != next && stage != Stage.FINISHED) {
            stages.moved(stage, next);
        }
        stage = next;
    }

    /** Claims the job's one outcome; false when it was abandoned (or already reported). */
    boolean claimOutcome() {
        return STATE.compareAndSet(this, LIVE, REPORTED);
    }

    /** Abandons the job; false when its outcome was already claimed (or it was already abandoned). */
    boolean abandon() {
        return STATE.compareAndSet(this, LIVE, ABANDONED);
    }

    boolean isAbandoned() {
        return state == ABANDONED;
    }
}
