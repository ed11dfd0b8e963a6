package io.thingport.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The Open API's settings (configuration {@code io.thingport.rest}, file {@code etc/io.thingport.rest.cfg}). */
@ObjectClassDefinition(name = "Thingport Open API", description = "The REST API under /api/v1")
public @interface RestConfig {
    @AttributeDefinition(description = "The JAAS realm that checks people's user names and passwords")
    String jaasRealm() default "karaf";

    @AttributeDefinition(description = "The most bytes of a request body (JSON)")
    long maxBodyBytes() default 1_048_576;

    @AttributeDefinition(description = "The most bytes of an uploaded protocol package jar or a batch of devices to import")
    long maxUploadBytes() default 33_554_432;

    @AttributeDefinition(description = "How long a bearer token from POST /api/v1/auth/token stays valid, in minutes")
    int tokenMinutes() default 60;

    @AttributeDefinition(description = "Failed logins of one user or application within the window before it is refused")
    int failedLoginsPerClient() default 10;

    @AttributeDefinition(description = "Failed logins from one source address within the window before it is refused")
    int failedLoginsPerSource() default 50;

    @AttributeDefinition(description = "The window of the failed-login limits, in minutes")
    int failedLoginWindowMinutes() default 5;

    @AttributeDefinition(description = "Live event streams (SSE and WebSocket together) open at once")
    int maxEventStreams() default 64;

    @AttributeDefinition(description = "The most missed events a reconnecting stream is sent from storage")
    int eventReplayMax() default 10_000;

    @AttributeDefinition(description = "How far back, in minutes, a reconnecting stream may resume")
    int eventReplayMinutes() default 60;

    @AttributeDefinition(description = "Events a live stream may fall behind before it is dropped")
    int eventQueue() default 1_000;

    @AttributeDefinition(description = "The default and the longest wait for a synchronous command's reply, in seconds")
    int commandTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Asynchronous commands remembered for polling (the oldest are forgotten first)")
    int maxTrackedCommands() default 10_000;
}
