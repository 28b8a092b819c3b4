/** The HTTP transport on Jetty's client, with the SSRF guard. */
module dev.hookengine.http {
    requires transitive dev.hookengine.core;
    requires org.eclipse.jetty.client;
    requires org.slf4j;

    exports dev.hookengine.http;
}
