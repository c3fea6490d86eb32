package dev.courier.cli;

/** Exit codes of every command. */
final class ExitCodes {

    /** The command did everything asked. */
    static final int OK = 0;
    /** The command ran but failed, or did only part of what was asked (e.g. some lines rejected). */
    static final int FAILED = 1;
    /** The command line itself was wrong: an unknown option, a missing argument. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
