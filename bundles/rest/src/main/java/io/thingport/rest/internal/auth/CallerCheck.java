package io.thingport.rest.internal.auth;

/**
 * Whether a caller authenticated a while ago (a live event stream's) may still do what it could then: its
 * application not revoked, expired, narrowed or changed in role; its user not deleted or lowered in role. Streams ask
 * this regularly and end when the answer is no.
 */
@FunctionalInterface
public interface CallerCheck {
    boolean stillValid(Caller caller);
}
