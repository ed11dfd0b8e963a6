package io.thingport.rest.internal.auth;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.CreatedApplication;
import io.thingport.api.access.NewApplication;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.SignedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applications held in memory whose verify() checks the real signature with the application's secret, records every
 * request it was asked about, and can be told to fail with a given code instead.
 */
final class FakeApplications implements ApplicationService {
    private final Map<String, ApplicationInfo> apps = new HashMap<>();
    private final Map<String, String> secrets = new HashMap<>();
    final List<SignedRequest> verified = new ArrayList<>();
    ErrorCode failWith;

    void add(ApplicationInfo app, String secret) {
        apps.put(app.id(), app);
        secrets.put(app.id(), secret);
    }

    @Override
    public ApplicationInfo verify(SignedRequest r, Instant now) {
        verified.add(r);
        if (failWith != null) {
            throw new ThingportException(failWith, "refused by the fake");
        }
        ApplicationInfo app = apps.get(r.applicationId());
        if (app == null) {
            throw new ThingportException(ErrorCode.UNAUTHENTICATED, "unknown application " + r.applicationId());
        }
        String expected = RequestSignature.hmac(secrets.get(r.applicationId()), RequestSignature.canonical(r.method(),
                r.path(), r.query(), r.bodySha256(), r.timestamp(), r.nonce()));
        if (!RequestSignature.matches(expected, r.signature())) {
            throw new ThingportException(ErrorCode.UNAUTHENTICATED, "the signature does not match");
        }
        return app;
    }

    @Override
    public CreatedApplication create(NewApplication application) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ApplicationInfo> list() {
        return List.copyOf(apps.values());
    }

    @Override
    public Optional<ApplicationInfo> find(String id) {
        return Optional.ofNullable(apps.get(id));
    }

    @Override
    public CreatedApplication rotate(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ApplicationInfo revoke(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String id) {
        apps.remove(id);
        secrets.remove(id);
    }
}
