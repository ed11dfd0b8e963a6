package io.thingport.core.internal.rules.sql;

import io.thingport.api.model.DataType;
import io.thingport.api.model.EventSpec;
import io.thingport.api.model.Field;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a statement against the thing models of the products its FROM topics name: the products and events exist,
 * {@code payload.properties.<p>} and {@code payload.data.<field>} name what the models define, and a typed field is not
 * compared with a literal of another type. A reference is checked only when every source that can carry it names its
 * product (and event) literally; it must then exist in at least one of those models.
 */
final class TypeCheck {
    private static final int MAX_LISTED = 10;

    /** A topic source that can carry property reports, with its product's model. */
    private record PropertyScope(String product, ThingModel model) {
    }

    /** A topic source that can carry one event whose data is an object. */
    private record EventScope(String product, String eventId, DataType output) {
    }

    private final List<PropertyScope> propertyScopes = new ArrayList<>();
    private final List<EventScope> eventScopes = new ArrayList<>();
    private boolean propertiesCheckable = true;
    private boolean eventDataCheckable = true;

    private TypeCheck() {
    }

    static void check(Statement statement, Function<String, Optional<ThingModel>> models) {
        TypeCheck check = new TypeCheck();
        statement.sources().forEach(s -> check.addSource(s, models));
        List<Expr> roots = new ArrayList<>();
        statement.columns().stream().filter(c -> !c.isStar()).forEach(c -> roots.add(c.expr()));
        if (statement.where() != null) {
            roots.add(statement.where());
        }
        roots.forEach(check::walk);
    }

    private void addSource(Statement.Source source, Function<String, Optional<ThingModel>> models) {
        if (!Sources.isTopic(source.text())) {
            return;
        }
        List<String> levels = Sources.levels(source.text());
        String product = levels.get(0);
        String kind = levels.get(2);
        boolean carriesProperties = kind.equals("properties") || Sources.isWildcard(kind);
        boolean carriesEvents = kind.equals("event") || Sources.isWildcard(kind);
        if (Sources.isWildcard(product)) {
            propertiesCheckable &= !carriesProperties;
            eventDataCheckable &= !carriesEvents;
            return;
        }
        ThingModel model = models.apply(product).orElseThrow(() -> RuleSqlException.at(source.at(), "unknown product '" + product
                + "' in FROM \"" + source.text() + "\""));
        if (carriesProperties) {
            propertyScopes.add(new PropertyScope(product, model));
        }
        String eventId = kind.equals("event") && levels.size() > 3 && !Sources.isWildcard(levels.get(3)) ? levels.get(3) : null;
        if (eventId != null) {
            EventSpec event = model.event(eventId).orElseThrow(() -> RuleSqlException.at(source.at(), "unknown event '" + eventId
                    + "' of product " + product + " in FROM \"" + source.text() + "\""
                    + known(model.events().stream().map(EventSpec::id))));
            if (event.output() != null && event.output().kind() == DataType.Kind.OBJECT) {
                eventScopes.add(new EventScope(product, eventId, event.output()));
            } else {
                eventDataCheckable = false;
            }
        } else if (carriesEvents) {
            eventDataCheckable = false;
        }
    }

    private static String known(Stream<String> ids) {
        List<String> all = ids.distinct().collect(Collectors.toList());
        if (all.isEmpty()) {
            return " (it defines none)";
        }
        String shown = String.join(", ", all.subList(0, Math.min(all.size(), MAX_LISTED)));
        return " (known: " + shown + (all.size() > MAX_LISTED ? ", ... " + (all.size() - MAX_LISTED) + " more" : "") + ")";
    }

    private void walk(Expr e) {
        if (e instanceof Expr.FieldRef f) {
            resolve(f);
        } else if (e instanceof Expr.Compare c) {
            mismatch(c.left(), c.right());
            mismatch(c.right(), c.left());
        } else if (e instanceof Expr.In in) {
            in.items().forEach(item -> mismatch(in.operand(), item));
        }
        children(e).forEach(this::walk);
    }

    static List<Expr> children(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Expr.Negate n) {
            out.add(n.operand());
        } else if (e instanceof Expr.Not n) {
            out.add(n.operand());
        } else if (e instanceof Expr.Logical l) {
            out.addAll(List.of(l.left(), l.right()));
        } else if (e instanceof Expr.Arithmetic a) {
            out.addAll(List.of(a.left(), a.right()));
        } else if (e instanceof Expr.Compare c) {
            out.addAll(List.of(c.left(), c.right()));
        } else if (e instanceof Expr.IsNull n) {
            out.add(n.operand());
        } else if (e instanceof Expr.In in) {
            out.add(in.operand());
            out.addAll(in.items());
        } else if (e instanceof Expr.Like l) {
            out.addAll(List.of(l.operand(), l.pattern()));
        } else if (e instanceof Expr.Case c) {
            out.addAll(Arrays.asList(c.subject(), c.otherwise()));
            c.whens().forEach(w -> out.addAll(List.of(w.condition(), w.result())));
            out.removeIf(x -> x == null);
        } else if (e instanceof Expr.Call c) {
            out.addAll(c.args());
        }
        return out;
    }

    /** The types the models give a field reference (empty when unchecked); an error for an unknown name. */
    private List<DataType> resolve(Expr.FieldRef f) {
        List<Object> path = f.path();
        if (path.size() < 3 || !"payload".equals(path.get(0)) || !(path.get(2) instanceof String name)) {
            return List.of();
        }
        List<DataType> types = new ArrayList<>();
        if ("properties".equals(path.get(1)) && propertiesCheckable && !propertyScopes.isEmpty()) {
            propertyScopes.forEach(s -> s.model().property(name).ifPresent(p -> types.add(p.type())));
            if (types.isEmpty()) {
                throw RuleSqlException.at(f.at(), "unknown property '" + name + "' of " + products(propertyScopes.stream()
                        .map(PropertyScope::product)) + known(propertyScopes.stream().flatMap(s -> s.model().properties().stream())
                        .map(PropertySpec::id)));
            }
        } else if ("data".equals(path.get(1)) && eventDataCheckable && !eventScopes.isEmpty()) {
            eventScopes.forEach(s -> field(s.output(), name).ifPresent(types::add));
            if (types.isEmpty()) {
                throw RuleSqlException.at(f.at(), "unknown field '" + name + "' of the data of event " + eventScopes.stream()
                        .map(s -> s.eventId() + " of product " + s.product()).distinct().collect(Collectors.joining(", "))
                        + known(eventScopes.stream().flatMap(s -> s.output().fields().stream()).map(Field::id)));
            }
        } else {
            return List.of();
        }
        return descend(types, f, 3);
    }

    private static String products(Stream<String> names) {
        List<String> all = names.distinct().collect(Collectors.toList());
        return (all.size() == 1 ? "product " : "products ") + String.join(", ", all);
    }

    private static Optional<DataType> field(DataType type, String id) {
        return type.fields().stream().filter(x -> x.id().equals(id)).map(Field::type).findFirst();
    }

    /** Follows the rest of the path into object fields and array elements. */
    private static List<DataType> descend(List<DataType> types, Expr.FieldRef f, int from) {
        List<DataType> current = types;
        for (int i = from; i < f.path().size() && !current.isEmpty(); i++) {
            Object step = f.path().get(i);
            List<DataType> next = new ArrayList<>();
            if (step instanceof String name) {
                List<DataType> objects = current.stream().filter(t -> t.kind() == DataType.Kind.OBJECT).collect(Collectors.toList());
                objects.forEach(t -> field(t, name).ifPresent(next::add));
                if (!objects.isEmpty() && next.isEmpty()) {
                    String prefix = f.text().substring(0, f.text().length() - suffixLength(f, i));
                    throw RuleSqlException.at(f.at(), "unknown field '" + name + "' of " + prefix
                            + known(objects.stream().flatMap(t -> t.fields().stream()).map(Field::id)));
                }
            } else {
                current.stream().filter(t -> t.kind() == DataType.Kind.ARRAY).forEach(t -> next.add(t.elementType()));
            }
            current = next;
        }
        return current;
    }

    /** The length of the text the path's steps from {@code i} on take in the reference. */
    private static int suffixLength(Expr.FieldRef f, int i) {
        int length = 0;
        for (int j = i; j < f.path().size(); j++) {
            Object step = f.path().get(j);
            length += step instanceof String s ? s.length() + 1 : String.valueOf(step).length() + 2;
        }
        return length;
    }

    /** A typed field reference compared with a literal of another type. */
    private void mismatch(Expr field, Expr other) {
        if (!(field instanceof Expr.FieldRef f) || !(other instanceof Expr.Literal literal) || literal.value() == null) {
            return;
        }
        List<DataType> types = resolve(f);
        if (types.isEmpty()) {
            return;
        }
        String literalClass = valueClass(literal.value());
        Set<String> classes = new LinkedHashSet<>();
        types.forEach(t -> classes.add(typeClass(t.kind())));
        if (!classes.contains(literalClass)) {
            String shown = literal.value() instanceof String s ? "'" + Token.shorten(s) + "'" : String.valueOf(literal.value());
            throw RuleSqlException.at(literal.at(), "type mismatch: " + f.text() + " is " + types.get(0).kind().wireName()
                    + " but is compared with the " + literalClass + " " + shown);
        }
    }

    private static String valueClass(Object v) {
        return v instanceof String ? "string" : v instanceof Boolean ? "boolean" : "number";
    }

    private static String typeClass(DataType.Kind kind) {
        return switch (kind) {
            case INT, LONG, FLOAT, DOUBLE, DATE -> "number";
            case STRING, ENUM, BINARY -> "string";
            case BOOL -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
        };
    }
}
