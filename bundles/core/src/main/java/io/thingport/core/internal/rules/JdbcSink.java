package io.thingport.core.internal.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a JDBC action's rows on one connection of its own, in batches: the rows that arrive while a batch runs form the
 * next one (at most {@code batch}). A batch that fails is rolled back and its rows written one by one, so one row that
 * breaks a constraint fails alone, with the database's message. A broken connection fails the batch and is opened again
 * for the next. The queue holds at most what the action's {@link DeliveryQueue} has in flight.
 */
final class JdbcSink implements RuleSink {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);

    interface Connector {
        Connection open() throws SQLException;
    }

    private record Pending(List<Object> values, CompletableFuture<Void> done) {
    }

    private final JdbcAction plan;
    private final Connector connector;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private Connection connection;

    JdbcSink(String ruleId, JdbcAction plan, Connector connector) {
        this.plan = plan;
        this.connector = connector;
        this.writer = new Thread(this::run, "thingport-rule-" + ruleId + "-jdbc");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public CompletionStage<Void> send(Delivery delivery) {
        Pending p = new Pending(plan.values(delivery.row()), new CompletableFuture<>());
        if (closed) {
            p.done().completeExceptionally(new RuleActionException("the action is stopped"));
        } else {
            queue.add(p);
        }
        return p.done();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, plan.batch() - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            batch.clear();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.done().completeExceptionally(new RuleActionException("the action is stopped")));
        closeConnection();
    }

    private void write(List<Pending> batch) {
        try {
            Connection c = connection();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(plan.sql().sql())) {
                for (Pending p : batch) {
                    bind(ps, p.values());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            }
            batch.forEach(p -> p.done().complete(null));
        } catch (SQLException e) {
            rollback();
            if (broken(e) || batch.size() == 1) {
                if (broken(e)) {
                    closeConnection();
                }
                batch.forEach(p -> p.done().completeExceptionally(describe(e)));
                return;
            }
            batch.forEach(this::writeOne);
        }
    }

    private void writeOne(Pending p) {
        try {
            Connection c = connection();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(plan.sql().sql())) {
                bind(ps, p.values());
                ps.executeUpdate();
            }
            p.done().complete(null);
        } catch (SQLException e) {
            if (broken(e)) {
                closeConnection();
            }
            p.done().completeExceptionally(describe(e));
        }
    }

    private static void bind(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(i + 1, values.get(i));
        }
    }

    /** The database's own message (the next exception of a batch holds the row's). */
    private static RuleActionException describe(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        // SQLSTATE class 22 (data) and 23 (constraint): the row itself, refused the same way on every attempt
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        boolean permanent = state.startsWith("22") || state.startsWith("23");
        return new RuleActionException("database error" + (state.isEmpty() ? "" : " " + state) + ": "
                + cause.getMessage(), permanent);
    }

    /** SQLSTATE class 08: the connection, not the row. */
    private static boolean broken(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connector.open();
        }
        return connection;
    }

    private void rollback() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("Rollback failed; the connection is dropped", e);
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the connection failed", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
