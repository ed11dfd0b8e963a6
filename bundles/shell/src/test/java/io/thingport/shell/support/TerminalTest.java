package io.thingport.shell.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalTest {
    /** Clears the screen (ESC [ 2 J), then a one-character CSI (U+009B) that would start another sequence. */
    static final String HOSTILE = "22\u001b[2J\u009b31m";

    @Test
    void everyControlCharacterIsEscapedVisibly() {
        // Verifies the escaping of C0 (ESC, BEL, backspace, NUL, and the line breaks and tabs that would break a table),
        // DEL and C1 (U+0080-U+009F) as \\uXXXX / \\n \\r \\t, and that other text (non-ASCII letters, symbols) is left.
        assertThat(Terminal.escape(HOSTILE)).isEqualTo("22\\u001b[2J\\u009b31m");
        assertThat(Terminal.escape("a\u0007b\bc\u0000d\u007fe\u0080f\u009fg"))
                .isEqualTo("a\\u0007b\\u0008c\\u0000d\\u007fe\\u0080f\\u009fg");
        assertThat(Terminal.escape("line 1\r\nline\t2")).isEqualTo("line 1\\r\\nline\\t2");
        assertThat(Terminal.escape("温度 21.5 °C \u00a0\u2026 {\"a\":1}")).isEqualTo("温度 21.5 °C \u00a0\u2026 {\"a\":1}");
        assertThat(Terminal.escape(null)).isEmpty();
        assertThat(Terminal.escape(42)).isEqualTo("42");
        // escaped text has no control character left, so escaping again changes nothing
        assertThat(Terminal.escape(Terminal.escape(HOSTILE))).isEqualTo(Terminal.escape(HOSTILE));
    }

    @Test
    void multiLineTextKeepsItsLineBreaksOnly() {
        // Verifies escapeText (documents, pretty JSON): \n stays a line break, every other control character is escaped.
        assertThat(Terminal.escapeText("# doc\n\u001b]0;title\u0007\r\nend\t")).isEqualTo("# doc\n\\u001b]0;title\\u0007\\r\nend\\t");
    }

    @Test
    void tablesEscapeEveryCellInBothForms() {
        // Verifies that the table renderer escapes every cell for people (ShellTable) and scripts (--no-format): no raw
        // control character reaches the terminal, and a line break or tab in a value does not break the row or columns.
        Table table = new Table("Property", "Value");
        table.row("temp", HOSTILE).row("note", "two\nlines\tand a tab").row("empty", null);

        String formatted = print(table, false);
        String plain = print(table, true);

        for (String out : new String[] {formatted, plain}) {
            assertThat(out).doesNotContain("\u001b").doesNotContain("\u009b").contains("22\\u001b[2J\\u009b31m")
                    .contains("two\\nlines\\tand a tab");
        }
        assertThat(plain).isEqualTo("temp\t22\\u001b[2J\\u009b31m\nnote\ttwo\\nlines\\tand a tab\nempty\t\n");
        assertThat(Table.line("a\tb", null, 3)).isEqualTo("a\\tb\t\t3");
    }

    private static String print(Table table, boolean noFormat) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), noFormat);
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
