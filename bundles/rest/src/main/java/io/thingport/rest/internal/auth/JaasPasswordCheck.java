package io.thingport.rest.internal.auth;

import java.security.Principal;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/** A login against a Karaf JAAS realm ({@code karaf}: etc/users.properties unless configured otherwise). */
public final class JaasPasswordCheck implements PasswordCheck {
    private final String realm;

    public JaasPasswordCheck(String realm) {
        this.realm = realm;
    }

    @Override
    public Optional<Set<String>> roles(String user, String password) {
        Subject subject = new Subject();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // Karaf's JAAS configuration finds its login modules through the context class loader of the caller
        Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        try {
            LoginContext login = new LoginContext(realm, subject, callbacks -> {
                for (var cb : callbacks) {
                    if (cb instanceof NameCallback n) {
                        n.setName(user);
                    } else if (cb instanceof PasswordCallback p) {
                        p.setPassword(password.toCharArray());
                    } else {
                        throw new UnsupportedCallbackException(cb);
                    }
                }
            });
            login.login();
            Set<String> roles = new HashSet<>();
            for (Principal p : subject.getPrincipals(RolePrincipal.class)) {
                roles.add(p.getName());
            }
            login.logout();
            return Optional.of(roles);
        } catch (LoginException e) {
            return Optional.empty();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
