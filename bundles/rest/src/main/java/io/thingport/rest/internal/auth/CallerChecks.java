package io.thingport.rest.internal.auth;

import io.thingport.api.access.ApplicationService;
import io.thingport.rest.internal.users.UserDirectory;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CallerCheck} against the platform: an application must still exist unrevoked, unexpired, with the same role
 * and products; a user must still exist with at least the same role. When the check itself cannot be made (the
 * storage or the realm not answering), the caller is kept: a stream is not ended by a passing fault.
 */
public final class CallerChecks implements CallerCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CallerChecks.class);

    private final ApplicationService applications;
    private final UserDirectory users;
    private final Clock clock;

    public CallerChecks(ApplicationService applications, UserDirectory users, Clock clock) {
        this.applications = applications;
        this.users = users;
        this.clock = clock;
    }

    @Override
    public boolean stillValid(Caller caller) {
        try {
            if (Caller.APPLICATION.equals(caller.kind())) {
                return applications.find(caller.name()).filter(a -> !a.revoked())
                        .filter(a -> a.expiresAt() == null || a.expiresAt().isAfter(clock.instant()))
                        .filter(a -> a.role() == caller.role() && a.products().equals(caller.products())).isPresent();
            }
            return users.find(caller.name()).filter(u -> u.role() != null && u.role().includes(caller.role())).isPresent();
        } catch (RuntimeException e) {
            LOG.debug("Could not check whether {} {} is still valid", caller.kind(), caller.name(), e);
            return true;
        }
    }
}
