package io.thingport.core.internal.rules.sql;

import io.thingport.core.internal.rules.sql.Expr.ArithOp;
import io.thingport.core.internal.rules.sql.Expr.CompareOp;
import io.thingport.core.internal.rules.sql.Statement.Column;
import io.thingport.core.internal.rules.sql.Statement.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser. Precedence, lowest first: OR, AND, NOT, comparison (= != <> < <= > >= IS IN LIKE),
 * + -, * / %, unary minus. Both the parser's recursion and the tree's depth are bounded by {@link Limits#MAX_DEPTH}, so a
 * hostile statement gets an error, never a StackOverflowError.
 */
final class Parser {
    private static final Map<String, CompareOp> COMPARISONS = Map.of("=", CompareOp.EQ, "!=", CompareOp.NE, "<>", CompareOp.NE,
            "<", CompareOp.LT, "<=", CompareOp.LE, ">", CompareOp.GT, ">=", CompareOp.GE);
    private static final Map<String, ArithOp> ADDITIVE = Map.of("+", ArithOp.ADD, "-", ArithOp.SUBTRACT);
    private static final Map<String, ArithOp> MULTIPLICATIVE = Map.of("*", ArithOp.MULTIPLY, "/", ArithOp.DIVIDE, "%", ArithOp.MODULO);

    private final List<Token> tokens;
    private int index;
    private int nesting;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Statement parse(String text) {
        return new Parser(Lexer.tokenize(text)).statement(text);
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peekNext() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(index);
        if (t.kind() != Token.Kind.EOF) {
            index++;
        }
        return t;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            index++;
            return true;
        }
        return false;
    }

    private RuleSqlException expected(String what) {
        Token t = peek();
        return new RuleSqlException(t.line(), t.column(), "expected " + what + " but found " + t.describe());
    }

    private void expectKeyword(String keyword) {
        if (!acceptKeyword(keyword)) {
            throw expected(keyword);
        }
    }

    private void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw expected("'" + symbol + "'");
        }
    }

    private Statement statement(String text) {
        expectKeyword("SELECT");
        List<Column> columns = columns();
        expectKeyword("FROM");
        List<Source> sources = sources();
        Expr where = acceptKeyword("WHERE") ? expression() : null;
        if (peek().kind() != Token.Kind.EOF) {
            throw expected(where == null ? "WHERE or end of statement" : "end of statement");
        }
        return new Statement(text, columns, sources, where);
    }

    private List<Column> columns() {
        List<Column> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int unnamed = 0;
        do {
            Token start = peek();
            if (columns.size() == Limits.MAX_SELECT_ITEMS) {
                throw RuleSqlException.at(start.pos(), "more than " + Limits.MAX_SELECT_ITEMS + " SELECT items");
            }
            if (acceptSymbol("*")) {
                columns.add(new Column(null, "*", start.pos()));
                continue;
            }
            Expr expr = expression();
            String name;
            if (acceptKeyword("AS")) {
                Token alias = peek();
                if (alias.kind() != Token.Kind.IDENT || Keywords.is(alias.text())) {
                    throw expected("a column name after AS");
                }
                name = take().text();
            } else if (expr instanceof Expr.FieldRef f) {
                name = lastName(f);
            } else {
                name = "expr" + ++unnamed;
            }
            if (!names.add(name)) {
                throw RuleSqlException.at(start.pos(), "duplicate column name '" + name + "': give the column another name with AS");
            }
            columns.add(new Column(expr, name, start.pos()));
        } while (acceptSymbol(","));
        return List.copyOf(columns);
    }

    private static String lastName(Expr.FieldRef f) {
        for (int i = f.path().size() - 1; i >= 0; i--) {
            if (f.path().get(i) instanceof String s) {
                return s;
            }
        }
        return f.text();
    }

    private List<Source> sources() {
        List<Source> sources = new ArrayList<>();
        do {
            Token t = peek();
            if (t.kind() != Token.Kind.QUOTED) {
                throw expected("a double-quoted source such as \"/thermo/+/properties/report\"");
            }
            if (sources.size() == Limits.MAX_SOURCES) {
                throw RuleSqlException.at(t.pos(), "more than " + Limits.MAX_SOURCES + " FROM sources");
            }
            String problem = Sources.problem(t.text());
            if (problem != null) {
                throw RuleSqlException.at(t.pos(), problem);
            }
            sources.add(new Source(take().text(), t.pos()));
        } while (acceptSymbol(","));
        return List.copyOf(sources);
    }

    // ---- expressions

    private void enter() {
        if (++nesting > Limits.MAX_DEPTH) {
            Token t = peek();
            throw new RuleSqlException(t.line(), t.column(), "the expression is nested deeper than " + Limits.MAX_DEPTH + " levels");
        }
    }

    /** The position of a new node starting at {@code start} over {@code children}; {@code at} is blamed for too deep a tree. */
    private static Pos node(Pos start, Token at, Expr... children) {
        int depth = 0;
        for (Expr child : children) {
            if (child != null) {
                depth = Math.max(depth, child.at().depth());
            }
        }
        if (depth + 1 > Limits.MAX_DEPTH) {
            throw new RuleSqlException(at.line(), at.column(), "the expression is nested deeper than " + Limits.MAX_DEPTH + " levels");
        }
        return new Pos(start.line(), start.column(), depth + 1);
    }

    private Expr expression() {
        enter();
        Expr e = or();
        nesting--;
        return e;
    }

    private Expr or() {
        Expr left = and();
        while (peek().isKeyword("OR")) {
            Token op = take();
            Expr right = and();
            left = new Expr.Logical(false, left, right, node(left.at(), op, left, right));
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().isKeyword("AND")) {
            Token op = take();
            Expr right = not();
            left = new Expr.Logical(true, left, right, node(left.at(), op, left, right));
        }
        return left;
    }

    private Expr not() {
        if (peek().isKeyword("NOT")) {
            Token op = take();
            enter();
            Expr operand = not();
            nesting--;
            return new Expr.Not(operand, node(op.pos(), op, operand));
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = additive();
        Token op = peek();
        if (op.kind() == Token.Kind.SYMBOL && COMPARISONS.containsKey(op.text())) {
            take();
            Expr right = additive();
            return new Expr.Compare(COMPARISONS.get(op.text()), left, right, node(left.at(), op, left, right));
        }
        if (acceptKeyword("IS")) {
            boolean negated = acceptKeyword("NOT");
            expectKeyword("NULL");
            return new Expr.IsNull(left, negated, node(left.at(), op, left));
        }
        boolean negated = op.isKeyword("NOT") && (peekNext().isKeyword("IN") || peekNext().isKeyword("LIKE"));
        if (negated) {
            take();
        }
        if (acceptKeyword("IN")) {
            return in(left, negated, op);
        }
        if (acceptKeyword("LIKE")) {
            Expr pattern = additive();
            if (pattern instanceof Expr.Literal l && l.value() instanceof String p && LikeMatcher.patternProblem(p) != null) {
                throw RuleSqlException.at(pattern.at(), LikeMatcher.patternProblem(p));
            }
            return new Expr.Like(left, pattern, negated, node(left.at(), op, left, pattern));
        }
        return left;
    }

    private Expr in(Expr left, boolean negated, Token op) {
        expectSymbol("(");
        List<Expr> items = new ArrayList<>();
        do {
            if (items.size() == Limits.MAX_IN_ITEMS) {
                throw RuleSqlException.at(peek().pos(), "more than " + Limits.MAX_IN_ITEMS + " items in an IN list");
            }
            items.add(expression());
        } while (acceptSymbol(","));
        expectSymbol(")");
        List<Expr> children = new ArrayList<>(items);
        children.add(left);
        return new Expr.In(left, List.copyOf(items), negated, node(left.at(), op, children.toArray(Expr[]::new)));
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (peek().kind() == Token.Kind.SYMBOL && ADDITIVE.containsKey(peek().text())) {
            Token op = take();
            Expr right = multiplicative();
            left = new Expr.Arithmetic(ADDITIVE.get(op.text()), left, right, node(left.at(), op, left, right));
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (peek().kind() == Token.Kind.SYMBOL && MULTIPLICATIVE.containsKey(peek().text())) {
            Token op = take();
            Expr right = unary();
            left = new Expr.Arithmetic(MULTIPLICATIVE.get(op.text()), left, right, node(left.at(), op, left, right));
        }
        return left;
    }

    private Expr unary() {
        if (peek().isSymbol("-")) {
            Token op = take();
            enter();
            Expr operand = unary();
            nesting--;
            if (operand instanceof Expr.Literal l && l.value() instanceof Long v) {
                return new Expr.Literal(-v, op.pos());
            }
            if (operand instanceof Expr.Literal l && l.value() instanceof Double v) {
                return new Expr.Literal(-v, op.pos());
            }
            return new Expr.Negate(operand, node(op.pos(), op, operand));
        }
        return primary();
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER:
                take();
                return new Expr.Literal(t.value(), t.pos());
            case STRING:
                take();
                return new Expr.Literal(t.text(), t.pos());
            case SYMBOL:
                if (acceptSymbol("(")) {
                    Expr e = expression();
                    expectSymbol(")");
                    return e;
                }
                throw expected("an expression");
            case QUOTED:
                throw new RuleSqlException(t.line(), t.column(), "expected an expression but found " + t.describe()
                        + " (double quotes are for FROM sources; a string takes single quotes)");
            case IDENT:
                return identifier(t);
            default:
                throw expected("an expression");
        }
    }

    private Expr identifier(Token t) {
        if (acceptKeyword("TRUE")) {
            return new Expr.Literal(Boolean.TRUE, t.pos());
        }
        if (acceptKeyword("FALSE")) {
            return new Expr.Literal(Boolean.FALSE, t.pos());
        }
        if (acceptKeyword("NULL")) {
            return new Expr.Literal(null, t.pos());
        }
        if (acceptKeyword("CASE")) {
            return caseExpr(t);
        }
        if (Keywords.is(t.text())) {
            throw expected("an expression");
        }
        if (peekNext().isSymbol("(")) {
            return call();
        }
        return path();
    }

    private Expr path() {
        Token first = take();
        List<Object> path = new ArrayList<>();
        path.add(first.text());
        StringBuilder text = new StringBuilder(first.text());
        while (true) {
            if (acceptSymbol(".")) {
                if (peek().kind() != Token.Kind.IDENT) {
                    throw expected("a field name after '.'");
                }
                String name = take().text();
                path.add(name);
                text.append('.').append(name);
            } else if (acceptSymbol("[")) {
                Token n = peek();
                if (n.kind() != Token.Kind.NUMBER || !(n.value() instanceof Long i) || i > Integer.MAX_VALUE) {
                    throw expected("a list index (a whole number from 0)");
                }
                take();
                expectSymbol("]");
                path.add(i.intValue());
                text.append('[').append(i).append(']');
            } else {
                return new Expr.FieldRef(List.copyOf(path), text.toString(), first.pos());
            }
        }
    }

    private Expr call() {
        Token name = take();
        Functions.Fn fn = Functions.lookup(name.text()).orElseThrow(() -> RuleSqlException.at(name.pos(), "unknown function '"
                + name.text() + "' (known: " + String.join(", ", Functions.names()) + ")"));
        expectSymbol("(");
        List<Expr> args = new ArrayList<>();
        if (!acceptSymbol(")")) {
            do {
                args.add(expression());
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        if (args.size() < fn.minArgs() || args.size() > fn.maxArgs()) {
            throw RuleSqlException.at(name.pos(), "function " + fn.name() + " expects " + fn.arity() + ", got " + args.size());
        }
        return new Expr.Call(Functions.bind(fn, args), List.copyOf(args), node(name.pos(), name, args.toArray(Expr[]::new)));
    }

    private Expr caseExpr(Token start) {
        enter();
        Expr subject = peek().isKeyword("WHEN") ? null : expression();
        List<Expr.When> whens = new ArrayList<>();
        List<Expr> children = new ArrayList<>();
        children.add(subject);
        if (!peek().isKeyword("WHEN")) {
            throw expected("WHEN");
        }
        while (acceptKeyword("WHEN")) {
            Expr condition = expression();
            expectKeyword("THEN");
            Expr result = expression();
            whens.add(new Expr.When(condition, result));
            children.add(condition);
            children.add(result);
        }
        Expr otherwise = acceptKeyword("ELSE") ? expression() : null;
        children.add(otherwise);
        expectKeyword("END");
        nesting--;
        return new Expr.Case(subject, List.copyOf(whens), otherwise, node(start.pos(), start, children.toArray(Expr[]::new)));
    }
}
