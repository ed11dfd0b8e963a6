package io.thingport.shell.support;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * A command's tabular output: a Karaf {@link ShellTable} for people, or with {@code --no-format} one line per row,
 * cells separated by a single tab and never padded, for scripts ({@code cut -f}, {@code awk -F'\t'}). Every cell is
 * escaped with {@link Terminal#escape} in both forms: a value from a device or peer cannot drive the terminal, and a
 * line break or tab in it shows as {@code \n} / {@code \t} instead of breaking the row or shifting the columns.
 */
public final class Table {
    private final List<String> headers;
    private final List<Object[]> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = new ArrayList<>(Arrays.asList(headers));
    }

    public Table column(String header) {
        headers.add(header);
        return this;
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(cells);
        return this;
    }

    public void print(PrintStream out, boolean noFormat) {
        if (noFormat) {
            for (Object[] row : rows) {
                out.println(line(row));
            }
            return;
        }
        ShellTable table = new ShellTable();
        headers.forEach(table::column);
        for (Object[] row : rows) {
            table.addRow().addContent(Arrays.stream(row).map(Terminal::escape).toArray());
        }
        table.print(out, true);
    }

    /** One {@code --no-format} row: the cells escaped ({@code null} as empty) and separated by single tabs. */
    public static String line(Object... cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            line.append(Terminal.escape(cells[i]));
        }
        return line.toString();
    }
}
