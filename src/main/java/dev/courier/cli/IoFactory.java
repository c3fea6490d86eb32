package dev.courier.cli;

import picocli.CommandLine;

/** Creates commands, handing {@link Io} to those whose constructor takes it. */
final class IoFactory implements CommandLine.IFactory {

    private final Io io;

    IoFactory(Io io) {
        this.io = io;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            return type.getDeclaredConstructor(Io.class).newInstance(io);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
