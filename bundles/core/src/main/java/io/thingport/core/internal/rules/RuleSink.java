package io.thingport.core.internal.rules;

import java.util.concurrent.CompletionStage;

/** A running action: sends one row; the stage fails when the peer did not take it (the queue retries). */
public interface RuleSink extends AutoCloseable {
    CompletionStage<Void> send(Delivery delivery);

    /** Releases what the sink holds; nothing by default. */
    @Override
    default void close() {
    }
}
