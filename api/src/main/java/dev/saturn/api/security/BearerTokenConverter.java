package dev.saturn.api.security;

import dev.saturn.api.identity.BearerToken;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * {@code Authorization: Bearer <token>} (scheme case-insensitive, RFC 6750) → a {@link BearerToken}
 * for the providers; no header or another scheme → null, an anonymous request. An empty token is
 * still a credential, and a bad one.
 */
class BearerTokenConverter implements AuthenticationConverter {

  private static final String SCHEME = "Bearer ";

  @Override
  public BearerToken convert(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return header != null && header.trim().equalsIgnoreCase("Bearer") ? new BearerToken("") : null;
    }
    return new BearerToken(header.substring(SCHEME.length()).trim());
  }
}
