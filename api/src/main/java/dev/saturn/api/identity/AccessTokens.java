package dev.saturn.api.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.saturn.db.identity.Role;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Short-lived access tokens for users: compact JWS, HS256 over the configured secret (the one
 * service both issues and verifies them, so a shared key is enough). Claims: {@code sub} user id,
 * {@code company_id}, {@code role} (informational: authentication takes the role from the database),
 * {@code iat}, {@code exp}, {@code iss}. Anything but a well-formed, correctly signed, unexpired
 * HS256 token of this issuer is refused; {@code alg: none} and other algorithms never verify.
 */
@Component
public class AccessTokens {

  static final String ISSUER = "saturn";
  static final String COMPANY_CLAIM = "company_id";
  static final String ROLE_CLAIM = "role";
  private static final int MIN_SECRET_BYTES = 32;

  private final byte[] secret;
  private final Duration ttl;
  private final Clock clock;

  @Autowired
  AccessTokens(AuthProperties properties, @Value("${saturn.data-dir:}") String dataDir, Clock clock) {
    this(SecretFiles.configuredOrGenerated(
            properties.jwtSecret(), SecretFiles.dataDir(dataDir).resolve("jwt-secret"), "", 48, "SATURN_JWT_SECRET"),
        properties.accessTokenTtl(), clock);
  }

  AccessTokens(String secret, Duration ttl, Clock clock) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    if (this.secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("saturn.auth.jwt-secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    this.ttl = ttl;
    this.clock = clock;
  }

  /** What a verified token says. */
  public record Claims(String userId, String companyId, String role, Instant expiresAt) {}

  public record Issued(String token, Duration expiresIn) {}

  public Issued issue(String companyId, String userId, Role role) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(userId)
        .claim(COMPANY_CLAIM, companyId)
        .claim(ROLE_CLAIM, role.dbValue())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return new Issued(jwt.serialize(), ttl);
  }

  /** The claims of a valid token; empty for a malformed, tampered, foreign-algorithm or expired one. */
  public Optional<Claims> verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
        return Optional.empty();
      }
      JWSVerifier verifier = new MACVerifier(secret);
      if (!jwt.verify(verifier)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expires = claims.getExpirationTime();
      String subject = claims.getSubject();
      String company = claims.getStringClaim(COMPANY_CLAIM);
      if (!ISSUER.equals(claims.getIssuer()) || expires == null || subject == null || company == null || company.isBlank()) {
        return Optional.empty();
      }
      if (!expires.toInstant().isAfter(clock.instant())) {
        return Optional.empty();
      }
      return Optional.of(new Claims(subject, company, claims.getStringClaim(ROLE_CLAIM), expires.toInstant()));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
