package io.thingport.core.internal.rules.sql;

import java.util.Locale;

/**
 * A lexical token. {@code text} is the identifier or symbol as written, the string content (quotes removed, escapes
 * resolved) or the number's digits; {@code value} is the parsed number for {@link Kind#NUMBER}.
 */
record Token(Kind kind, String text, Object value, int line, int column) {
    enum Kind { IDENT, NUMBER, STRING, QUOTED, SYMBOL, EOF }

    boolean isKeyword(String keyword) {
        return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    Pos pos() {
        return new Pos(line, column, 1);
    }

    /** The token as an error message shows it. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of statement";
            case STRING -> "'" + shorten(text) + "'";
            case QUOTED -> "\"" + shorten(text) + "\"";
            case IDENT -> Keywords.is(text) ? "'" + text.toUpperCase(Locale.ROOT) + "'" : "'" + shorten(text) + "'";
            default -> "'" + shorten(text) + "'";
        };
    }

    static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
