package io.thingport.core.internal.rules.sql;

/**
 * Where an expression starts in the statement (1-based line and column) and how deep its tree is (1 for a leaf), so
 * the parser bounds the nesting without walking the tree.
 */
record Pos(int line, int column, int depth) {
}
