package io.thingport.shell.support;

import io.thingport.api.ThingportException;
import io.thingport.api.device.CommandTicket;
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

    /**
     * Says that a queued command waits for the device's next contact (a sleepy device that is not connected), or waits
     * for the reply of a sent one as {@link #await(CompletionStage, PrintStream)}.
     */
    public static void await(CommandTicket ticket, String deviceId, PrintStream out) throws InterruptedException {
        if (ticket.queued()) {
            out.println(Terminal.escape("queued (messageId " + ticket.commandId() + "): device " + deviceId + " sleeps; it gets"
                    + " the command when it next sends anything (see iot:device-queue " + deviceId + ")"));
            return;
        }
        await(ticket.reply(), out);
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
