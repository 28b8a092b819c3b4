/** The REST server: the spec's API over Javalin, and the standalone main. */
module dev.hookengine.server {
    requires transitive dev.hookengine.core;
    requires transitive io.javalin;
    requires dev.hookengine.store.memory;
    requires dev.hookengine.store.jdbc;
    requires dev.hookengine.http;
    requires micrometer.registry.prometheus;
    requires org.slf4j;
    requires java.sql; // StoreOutage: a database out of reach is a 503, not a 500
    // JsonErrorPages: the error pages of Javalin's Jetty.
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.ee10.servlet;

    exports dev.hookengine.server;
}
