package io.thingport.bridge.support;

import java.util.concurrent.CompletionStage;

/**
 * What a bridge does with a push: verify it, hand its messages to the platform, and say what to answer once they were
 * stored (the clouds retry a push that was not answered {@code 200}). Called on the server's event loop: it must not
 * block; slow work completes the stage later.
 */
@FunctionalInterface
public interface PushHandler {
    CompletionStage<PushAnswer> handle(PushRequest request);
}
