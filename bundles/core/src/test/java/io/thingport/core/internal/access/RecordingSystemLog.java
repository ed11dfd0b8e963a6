package io.thingport.core.internal.access;

import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogQuery;
import io.thingport.api.access.SystemLogService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A system log that keeps each event as one line, {@code LEVEL category source: message}, for tests to look at. */
public final class RecordingSystemLog implements SystemLogService {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void record(String level, String category, String source, String message) {
        lines.add(level + " " + category + " " + source + ": " + message);
    }

    @Override
    public List<SystemEvent> query(SystemLogQuery query) {
        throw new UnsupportedOperationException("a recording only");
    }

    /** The events so far, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }
}
