/**
 * Jakarta Servlet 6.0 connector: {@link ai.caracal.servlet.CaracalFilter} verifies the mandate of every
 * request before any servlet runs and attaches the claims as a request attribute;
 * {@link ai.caracal.servlet.CaracalRequests} reads them back;
 * {@link ai.caracal.servlet.ProtectedResourceMetadataServlet} serves the RFC 9728 document when the
 * filter is mapped narrowly.
 */
package ai.caracal.servlet;
