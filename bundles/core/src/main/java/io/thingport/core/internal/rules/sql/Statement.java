package io.thingport.core.internal.rules.sql;

import java.util.List;

/** A parsed statement. */
record Statement(String text, List<Column> columns, List<Source> sources, Expr where) {

    /** A SELECT entry: {@code expr} is null for {@code *}, {@code name} the output name. */
    record Column(Expr expr, String name, Pos at) {
        boolean isStar() {
            return expr == null;
        }
    }

    /** A FROM entry as written, with where it is in the statement. */
    record Source(String text, Pos at) {
    }
}
