package io.thingport.api.device;

import io.thingport.api.message.DeviceReply;
import java.util.concurrent.CompletionStage;

/**
 * What {@link DeviceMessageSender#submit} did with a command: sent it ({@link CommandState#SENT}) or queued it for a
 * sleepy device ({@link CommandState#QUEUED}, see {@link CommandQueue}).
 *
 * @param reply completes with the device's reply; for a queued command only once it was delivered and answered (it
 *              fails when the command expires, is cancelled or fails, and when the platform stops before: its state
 *              then stays readable from {@link CommandQueue#find})
 */
public record CommandTicket(String commandId, CommandState state, CompletionStage<DeviceReply> reply) {
    public boolean queued() {
        return state == CommandState.QUEUED;
    }
}
