/**
 * A JPMS application protected by Caracal: the verification core and the JDK {@code HttpServer} connector
 * used from the module path, by their Automatic-Module-Names.
 */
module ai.caracal.examples.jpms {
    requires ai.caracal.revocation;
    requires ai.caracal.verify;
    requires ai.caracal.jdkhttp;
    requires jdk.httpserver;
}
