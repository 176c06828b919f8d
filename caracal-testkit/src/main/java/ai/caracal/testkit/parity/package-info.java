/**
 * The connector parity matrix of connectors.md §9: extend
 * {@link ai.caracal.testkit.parity.ConnectorParityContract} in a connector's tests, start the connector
 * from the given {@link ai.caracal.testkit.parity.ParityFixture}, and every row P1–P46 runs against it
 * over real HTTP. Depends only on JUnit, the JDK and the rest of the test kit, so it fits any server.
 */
package ai.caracal.testkit.parity;
