package dev.saturn.api.security;

/**
 * A handler that is not a controller method and authenticates its callers itself, after the
 * request reached it: the chat WebSocket ({@code /v1/ws}), whose browser clients cannot set an
 * {@code Authorization} header on the upgrade request and send the token in the socket's first
 * frame or the {@code Sec-WebSocket-Protocol} header instead. {@link HandlerAuthorization} lets
 * anyone reach such a handler; the handler refuses everything but authentication until then.
 */
public interface AuthenticatesItself {}
