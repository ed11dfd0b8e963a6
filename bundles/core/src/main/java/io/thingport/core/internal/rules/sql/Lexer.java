package io.thingport.core.internal.rules.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits a statement into tokens, tracking 1-based line and column; one pass, no regular expressions. */
final class Lexer {
    private static final Set<String> TWO_CHAR_SYMBOLS = Set.of("!=", "<>", "<=", ">=");
    private static final String ONE_CHAR_SYMBOLS = ",.()[]*+-/%=<>";

    private final String src;
    private int index;
    private int line = 1;
    private int column = 1;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) {
        return new Lexer(src).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (index >= src.length()) {
                tokens.add(new Token(Token.Kind.EOF, "", null, line, column));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipBlanks() {
        while (index < src.length()) {
            if (Character.isWhitespace(src.charAt(index))) {
                advance();
            } else {
                return;
            }
        }
    }

    private void advance() {
        char c = src.charAt(index++);
        if (c == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
    }

    private Token next() {
        int startLine = line;
        int startColumn = column;
        char c = src.charAt(index);
        if (isIdentStart(c)) {
            int start = index;
            while (index < src.length() && isIdentPart(src.charAt(index))) {
                advance();
            }
            String text = src.substring(start, index);
            if (text.length() > Limits.MAX_IDENTIFIER_LENGTH) {
                throw new RuleSqlException(startLine, startColumn, "identifier '" + Token.shorten(text) + "' is longer than "
                        + Limits.MAX_IDENTIFIER_LENGTH + " characters");
            }
            return new Token(Token.Kind.IDENT, text, null, startLine, startColumn);
        }
        if (c >= '0' && c <= '9') {
            return number(startLine, startColumn);
        }
        if (c == '\'' || c == '"') {
            return quoted(c, startLine, startColumn);
        }
        if (index + 1 < src.length() && TWO_CHAR_SYMBOLS.contains(src.substring(index, index + 2))) {
            String text = src.substring(index, index + 2);
            advance();
            advance();
            return new Token(Token.Kind.SYMBOL, text, null, startLine, startColumn);
        }
        if (ONE_CHAR_SYMBOLS.indexOf(c) >= 0) {
            advance();
            return new Token(Token.Kind.SYMBOL, String.valueOf(c), null, startLine, startColumn);
        }
        String shown = Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        throw new RuleSqlException(startLine, startColumn, "unexpected character '" + shown + "'");
    }

    private static boolean isIdentStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || c >= '0' && c <= '9';
    }

    private Token number(int startLine, int startColumn) {
        int start = index;
        boolean decimal = false;
        digits();
        if (index + 1 < src.length() && src.charAt(index) == '.' && isDigit(src.charAt(index + 1))) {
            decimal = true;
            advance();
            digits();
        }
        if (index < src.length() && (src.charAt(index) == 'e' || src.charAt(index) == 'E')) {
            int sign = index + 1 < src.length() && (src.charAt(index + 1) == '+' || src.charAt(index + 1) == '-') ? 1 : 0;
            if (index + 1 + sign < src.length() && isDigit(src.charAt(index + 1 + sign))) {
                decimal = true;
                advance();
                if (sign == 1) {
                    advance();
                }
                digits();
            }
        }
        if (index < src.length() && isIdentPart(src.charAt(index))) {
            throw new RuleSqlException(line, column, "unexpected character '" + src.charAt(index) + "' after the number "
                    + Token.shorten(src.substring(start, index)));
        }
        String text = src.substring(start, index);
        Object value;
        if (decimal) {
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                throw new RuleSqlException(startLine, startColumn, "number " + Token.shorten(text) + " is out of range");
            }
            value = d;
        } else {
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new RuleSqlException(startLine, startColumn, "integer " + Token.shorten(text) + " is out of range (at most "
                        + Long.MAX_VALUE + ")");
            }
        }
        return new Token(Token.Kind.NUMBER, text, value, startLine, startColumn);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void digits() {
        while (index < src.length() && isDigit(src.charAt(index))) {
            advance();
        }
    }

    /** A 'string' or a "quoted source"; the quote is escaped by doubling it. */
    private Token quoted(char quote, int startLine, int startColumn) {
        advance();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (index >= src.length()) {
                throw new RuleSqlException(startLine, startColumn, "unterminated " + (quote == '\'' ? "string" : "quoted source")
                        + ": missing the closing " + quote);
            }
            char c = src.charAt(index);
            advance();
            if (c == quote) {
                if (index < src.length() && src.charAt(index) == quote) {
                    advance();
                } else {
                    break;
                }
            }
            sb.append(c);
        }
        return new Token(quote == '\'' ? Token.Kind.STRING : Token.Kind.QUOTED, sb.toString(), null, startLine, startColumn);
    }
}
