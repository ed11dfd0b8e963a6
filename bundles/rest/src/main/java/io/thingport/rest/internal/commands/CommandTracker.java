package io.thingport.rest.internal.commands;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The API's commands by id, for polling: bounded, the oldest forgotten first once {@code max} are held (a caller
 * polls within minutes; the device log keeps the history).
 */
public final class CommandTracker {
    private final Map<String, CommandState> commands;

    public CommandTracker(int max) {
        this.commands = new LinkedHashMap<>(256, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CommandState> eldest) {
                return size() > max;
            }
        };
    }

    public synchronized void put(CommandState state) {
        commands.put(state.commandId(), state);
    }

    /** Replaces a command's state only while it is still held (a late reply to a forgotten command is dropped). */
    public synchronized void update(CommandState state) {
        commands.replace(state.commandId(), state);
    }

    public synchronized Optional<CommandState> get(String commandId) {
        return Optional.ofNullable(commands.get(commandId));
    }
}
