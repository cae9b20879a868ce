package dev.saturn.api.websocket;

import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.ProblemWriter;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Registers the chat WebSocket at {@code /v1/ws}: plain text frames of JSON ({@link ChatSocketHandler}),
 * no STOMP, no SockJS. The upgrade refuses any query string (a token in a URL ends up in access
 * logs and browser history), takes a token offered as a {@code bearer.<token>} subprotocol, and
 * answers with the one subprotocol it speaks, {@value #SUBPROTOCOL}, never echoing the token.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableConfigurationProperties(WebSocketProperties.class)
class WebSocketConfiguration implements WebSocketConfigurer {

  static final String PATH = "/v1/ws";
  static final String SUBPROTOCOL = "saturn.v1";
  static final String BEARER_SUBPROTOCOL_PREFIX = "bearer.";
  /** Handshake attribute: the token offered as a subprotocol. */
  static final String TOKEN_ATTRIBUTE = ChatSocketHandler.class.getName() + ".token";

  private final ChatSocketHandler handler;
  private final WebSocketProperties properties;
  private final ProblemWriter problems;

  WebSocketConfiguration(ChatSocketHandler handler, WebSocketProperties properties, ProblemWriter problems) {
    this.handler = handler;
    this.properties = properties;
    this.problems = problems;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
    handshake.setSupportedProtocols(SUBPROTOCOL);
    registry.addHandler(handler, PATH)
        .setHandshakeHandler(handshake)
        .addInterceptors(new TokenOutOfUrl(problems))
        // Empty: same origin only (Spring's default); clients without an Origin header are not browsers.
        .setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
  }

  /** The container's frame limits: a text frame over the cap closes the socket with 1009. */
  @Bean
  ServletServerContainerFactoryBean webSocketContainer() {
    ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(properties.maxFrameBytes());
    container.setMaxBinaryMessageBufferSize(1024);
    return container;
  }

  /** Refuses a query string; hands a {@code bearer.<token>} subprotocol to the handler. */
  static final class TokenOutOfUrl implements HandshakeInterceptor {

    private final ProblemWriter problems;

    TokenOutOfUrl(ProblemWriter problems) {
      this.problems = problems;
    }

    @Override
    public boolean beforeHandshake(
        ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler, Map<String, Object> attributes)
        throws IOException {
      if (request.getURI().getRawQuery() != null) {
        refuse(request, response, ApiException.of(ErrorCode.VALIDATION_FAILED,
            PATH + " takes no query parameters: send the token in the first frame ({\"type\":\"auth\",\"token\":...})"
                + " or as the subprotocol " + BEARER_SUBPROTOCOL_PREFIX + "<token>, never in the URL"));
        return false;
      }
      List<String> offered = request.getHeaders().getValuesAsList("Sec-WebSocket-Protocol");
      for (String protocol : offered) {
        if (protocol.startsWith(BEARER_SUBPROTOCOL_PREFIX)) {
          attributes.put(TOKEN_ATTRIBUTE, protocol.substring(BEARER_SUBPROTOCOL_PREFIX.length()));
        }
      }
      return true;
    }

    @Override
    public void afterHandshake(
        ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler, Exception exception) {}

    private void refuse(ServerHttpRequest request, ServerHttpResponse response, ApiException problem) throws IOException {
      if (request instanceof ServletServerHttpRequest servletRequest
          && response instanceof ServletServerHttpResponse servletResponse) {
        HttpServletRequest httpRequest = servletRequest.getServletRequest();
        HttpServletResponse httpResponse = servletResponse.getServletResponse();
        problems.write(httpRequest, httpResponse, problem);
      } else {
        response.setStatusCode(org.springframework.http.HttpStatus.BAD_REQUEST);
      }
    }
  }
}
