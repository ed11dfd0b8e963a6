package io.thingport.core.internal.storage;

/**
 * Ids of one sequence, handed out from blocks that {@link Storage#reserve} takes from the database: unique across the
 * nodes sharing it (an in-memory counter started at the table's maximum is not), increasing on each node, and one
 * database round trip per block. Ids of a block a node did not use before it stopped are skipped.
 */
public final class IdBlocks {
    private final Storage storage;
    private final String name;
    private final int size;
    private long next;
    private long end;

    public IdBlocks(Storage storage, String name, int size) {
        this.storage = storage;
        this.name = name;
        this.size = size;
    }

    /** The next id; takes a new block from the database when this one is used up. */
    public synchronized long next() {
        if (next >= end) {
            next = storage.reserve(name, size);
            end = next + size;
        }
        return next++;
    }
}
