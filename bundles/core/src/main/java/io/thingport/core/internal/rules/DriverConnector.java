package io.thingport.core.internal.rules;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Properties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * Connections to the databases of jdbc data sources, through the JDBC driver's {@link DataSourceFactory} service (pax-jdbc
 * registers one per driver: {@code pax-jdbc-postgresql}, {@code pax-jdbc-mariadb}). A driver that is not installed is an
 * error that names the feature to install.
 */
final class DriverConnector {
    private final BundleContext bundles;

    DriverConnector(BundleContext bundles) {
        this.bundles = bundles;
    }

    /**
     * The URL the driver takes: MariaDB's driver serves {@code jdbc:mysql://} URLs only when told to
     * ({@code permitMysqlScheme}), and it is the driver the platform ships for MySQL too.
     */
    static String driverUrl(String url) {
        if (!url.startsWith("jdbc:mysql:") || url.contains("permitMysqlScheme")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
    }

    static String driverClass(String url) {
        return url.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : "org.mariadb.jdbc.Driver";
    }

    Connection connect(DataSourceSpec database) throws SQLException {
        String url = database.setting("url");
        String driver = driverClass(url);
        Collection<ServiceReference<DataSourceFactory>> refs;
        try {
            String filter = "(" + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=" + driver + ")";
            refs = bundles.getServiceReferences(DataSourceFactory.class, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs.isEmpty()) {
            throw new SQLException("no JDBC driver " + driver + " is installed (feature:install "
                    + (driver.startsWith("org.postgresql") ? "pax-jdbc-postgresql" : "pax-jdbc-mariadb") + ")", "08001");
        }
        ServiceReference<DataSourceFactory> ref = refs.iterator().next();
        DataSourceFactory factory = bundles.getService(ref);
        try {
            Properties props = new Properties();
            props.setProperty(DataSourceFactory.JDBC_URL, driverUrl(url));
            if (database.setting("user") != null) {
                props.setProperty(DataSourceFactory.JDBC_USER, database.setting("user"));
            }
            if (database.setting("password") != null) {
                props.setProperty(DataSourceFactory.JDBC_PASSWORD, database.setting("password"));
            }
            return factory.createDataSource(props).getConnection();
        } finally {
            bundles.ungetService(ref);
        }
    }
}
