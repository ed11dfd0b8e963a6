package io.thingport.shell.support;

import io.thingport.api.ThingportException;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.WritePropertiesReply;
import java.io.PrintStream;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Waits for a device's reply and prints it, escaped ({@link Terminal#escape}): every value in it is the device's. */
public final class Replies {
    private Replies() {
    }

    public static void await(CompletionStage<DeviceReply> stage, PrintStream out) throws InterruptedException {
        DeviceReply reply;
        try {
            reply = stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ThingportException te) {
                throw te;
            }
            throw new IllegalStateException(e.getCause());
        }
        if (!reply.success()) {
            throw new IllegalStateException(Terminal.escape("device " + reply.deviceId() + " answered " + reply.messageId()
                    + " with failure: " + reply.code() + (reply.message() == null ? "" : " " + reply.message())));
        }
        out.println(Terminal.escape("success (messageId " + reply.messageId() + ")"));
        if (reply instanceof InvokeFunctionReply r && r.output() != null) {
            out.println(Terminal.escape("output: " + Values.json(r.output())));
        } else if (reply instanceof ReadPropertiesReply r) {
            r.properties().forEach((k, v) -> out.println(Terminal.escape(k + " = " + Values.json(v))));
        } else if (reply instanceof WritePropertiesReply r) {
            r.properties().forEach((k, v) -> out.println(Terminal.escape(k + " = " + Values.json(v))));
        }
    }
}
