package io.thingport.rest.internal.users;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.Allow;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.auth.CallerPrincipal;
import io.thingport.rest.internal.auth.TokenStore;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.resources.Access;
import java.util.List;
import java.util.regex.Pattern;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * People who may log in (admins only): listed, created with a password and a role, their password replaced
 * ("rotated") or their role changed, and deleted ("revoked"). A changed password, role or a deleted user ends the
 * user's bearer tokens at once. Passwords are never part of an answer. The shell does the same with Karaf's
 * {@code jaas:*} commands.
 */
@Path("/users")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.ADMIN)
public class UserResource {
    /** A user as the API shows it. */
    public record UserView(String name, String role, boolean roleFromGroup) {
        static UserView of(UserDirectory.User u) {
            return new UserView(u.name(), u.role() == null ? null : u.role().wireName(), u.roleFromGroup());
        }
    }

    public record NewUser(String name, String password, String role) {
    }

    public record PasswordBody(String password) {
    }

    public record RoleBody(String role) {
    }

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 256;

    private final UserDirectory users;
    private final TokenStore tokens;

    @Context
    private SecurityContext security;

    public UserResource(UserDirectory users, TokenStore tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GET
    public List<UserView> list() {
        Access.allProducts(CallerPrincipal.of(security), "manage users");
        return users.list().stream().map(UserView::of).sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    @GET
    @Path("/{name}")
    public UserView get(@PathParam("name") String name) {
        Access.allProducts(CallerPrincipal.of(security), "manage users");
        return UserView.of(users.find(name).orElseThrow(() -> ThingportException.notFound("user", name)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewUser body) {
        Access.allProducts(CallerPrincipal.of(security), "manage users");
        if (body == null) {
            throw new FieldException("body", "send the user as a JSON object");
        }
        String name = name(body.name());
        users.add(name, password(body.password()), role(body.role()));
        return Response.status(201).entity(UserView.of(users.find(name).orElseThrow())).build();
    }

    @PUT
    @Path("/{name}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setPassword(@PathParam("name") String name, PasswordBody body) {
        Access.allProducts(CallerPrincipal.of(security), "manage users");
        users.setPassword(name, password(body == null ? null : body.password()));
        tokens.revokeUser(name);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{name}/role")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView setRole(@PathParam("name") String name, RoleBody body) {
        Caller caller = CallerPrincipal.of(security);
        Access.allProducts(caller, "manage users");
        Role role = role(body == null ? null : body.role());
        if (Caller.USER.equals(caller.kind()) && caller.name().equals(name) && role != Role.ADMIN) {
            throw new ThingportException(ErrorCode.CONFLICT, "an admin cannot take away their own admin role");
        }
        users.setRole(name, role);
        tokens.revokeUser(name);
        return UserView.of(users.find(name).orElseThrow());
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        Caller caller = CallerPrincipal.of(security);
        Access.allProducts(caller, "manage users");
        if (Caller.USER.equals(caller.kind()) && caller.name().equals(name)) {
            throw new ThingportException(ErrorCode.CONFLICT, "a user cannot delete themselves");
        }
        users.delete(name);
        tokens.revokeUser(name);
        return Response.noContent().build();
    }

    static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new FieldException("name", "name must be 1 to 64 letters, digits, _ . @ - (starting with a letter or "
                    + "digit)");
        }
        return name;
    }

    static String password(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new FieldException("password", "password must have " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters");
        }
        if (password.indexOf(',') >= 0 || password.chars().anyMatch(Character::isISOControl)) {
            throw new FieldException("password", "password must not contain a comma or a control character "
                    + "(etc/users.properties separates roles with commas)");
        }
        return password;
    }

    static Role role(String role) {
        Role r = Role.fromName(role);
        if (r == null) {
            throw new FieldException("role", "role must be viewer, operator or admin");
        }
        return r;
    }
}
