package dev.courier.replay;

/** Why a dead letter the filters selected was not replayed. */
public enum SkipReason {

    UNREADABLE("the record on the dead-letter topic is not a dead letter Courier can read"),
    NOT_AN_EVENT("the record was not an event: there is nothing to replay"),
    REQUEST_NOT_KEPT("the dead letter was reduced to fit the size limit and does not keep the request"),
    NOT_REPLAYABLE("its category is one a replay cannot fix (UNDECODABLE, INVALID_REQUEST, POLICY_REFUSED);"
            + " --force replays it anyway"),
    TOO_MANY_REPLAYS("it was replayed --max-replays times already; --force replays it anyway"),
    REDACTED_URL("its URL carried credentials, stored redacted, that a replay cannot restore; --force sends it as"
            + " stored"),
    SUPERSEDED("an earlier dead letter of an event that has a later one: only the latest is considered"),
    ALREADY_SUCCEEDED("the event already has a result on the results topic"),
    ALREADY_REPLAYED("a replay of it is on the requests topic with no outcome yet; --force replays it again"),
    OVER_MAX("beyond --max");

    private final String explanation;

    SkipReason(String explanation) {
        this.explanation = explanation;
    }

    /** Why, in words, for the summary. */
    public String explanation() {
        return explanation;
    }
}
