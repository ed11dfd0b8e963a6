package io.thingport.bridge.onenet;

import java.util.Arrays;

/** Joins the parts of a dedup key. */
final class DedupParts {
    private DedupParts() {
    }

    static Object[] join(Object[] head, Object... tail) {
        Object[] all = Arrays.copyOf(head, head.length + tail.length + 1);
        all[head.length] = "onenet-studio";
        System.arraycopy(tail, 0, all, head.length + 1, tail.length);
        return all;
    }
}
