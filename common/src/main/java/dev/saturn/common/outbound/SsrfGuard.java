package dev.saturn.common.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides where SATURN may connect on a tenant's behalf: tools, and every other outbound target a
 * tenant names (MCP servers, webhooks, provider base URLs). By default only public unicast
 * addresses: no loopback, private (RFC 1918, IPv6 unique-local), link-local (which holds the
 * 169.254.169.254 metadata service), CGNAT, multicast, unspecified, reserved or "this network"
 * address, over IPv4 or IPv6 (including IPv4 embedded in IPv6). A host name is resolved once, here;
 * the caller connects to the address returned, so a DNS answer that changes between the check and
 * the connect changes nothing. The operator's allowlist ({@link OutboundProperties}) opens
 * specific targets.
 */
public class SsrfGuard {

  /** Resolves a host name; replaceable in tests to play a DNS server. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** Thrown when a target is refused; no connection was made. */
  public static final class RefusedTarget extends Exception {
    RefusedTarget(String message) {
      super(message);
    }
  }

  private final AllowedTargets allowed;
  private final Resolver resolver;

  /** @param allowedHosts allowlist entries as {@code saturn.outbound.allowed-hosts} takes them */
  public SsrfGuard(String allowedHosts) {
    this(allowedHosts, InetAddress::getAllByName);
  }

  public SsrfGuard(String allowedHosts, Resolver resolver) {
    this(new AllowedTargets(allowedHosts, OutboundProperties.SETTING), resolver);
  }

  SsrfGuard(AllowedTargets allowed, Resolver resolver) {
    this.allowed = allowed;
    this.resolver = resolver;
  }

  /**
   * The address to connect to for {@code host:port}.
   *
   * @throws RefusedTarget when the host does not resolve, or any address it resolves to is not
   *     allowed (one bad answer refuses the name: a resolver that mixes answers is not trusted)
   */
  public InetAddress check(String host, int port) throws RefusedTarget {
    String name = unbracketed(host);
    boolean hostAllowlisted = allowed.allowsHost(name, port);
    InetAddress literal = IpLiterals.parse(name);
    InetAddress[] addresses;
    if (literal != null) {
      addresses = new InetAddress[] {literal};
    } else if (IpLiterals.isLiteral(name)) {
      throw new RefusedTarget(invalidLiteral(host));
    } else {
      try {
        addresses = resolver.resolve(name);
      } catch (UnknownHostException e) {
        throw new RefusedTarget("host '" + host + "' does not resolve");
      }
      if (addresses == null || addresses.length == 0) {
        throw new RefusedTarget("host '" + host + "' does not resolve");
      }
    }
    if (hostAllowlisted) {
      return addresses[0];
    }
    for (InetAddress address : addresses) {
      String refusal = refusal(host, literal == null ? address : null, address, port);
      if (refusal != null) {
        throw new RefusedTarget(refusal);
      }
    }
    return addresses[0];
  }

  /**
   * Why a URL's target is refused whatever DNS says, judged without a lookup: for checking a
   * tenant's URL when it is registered. An IP literal is judged as {@link #check} judges it; a host
   * name passes (unless it is not even a valid literal), since what it resolves to is checked at
   * every connection and may change until then.
   *
   * @return the refusal, or empty when the URL may be stored
   */
  public Optional<String> refusalWithoutLookup(URI url) {
    String host = url.getHost();
    if (host == null) {
      return Optional.empty();
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    String name = unbracketed(host);
    if (allowed.allowsHost(name, port)) {
      return Optional.empty();
    }
    InetAddress literal = IpLiterals.parse(name);
    if (literal == null) {
      return IpLiterals.isLiteral(name) ? Optional.of(invalidLiteral(host)) : Optional.empty();
    }
    return Optional.ofNullable(refusal(host, null, literal, port));
  }

  /** Why {@code address} (what {@code host} resolved to, or null for a literal) is refused, or null. */
  private String refusal(String host, InetAddress resolved, InetAddress address, int port) {
    String reason = blockedBecause(address);
    if (reason == null || allowed.allowsAddress(address, port)) {
      return null;
    }
    return "target " + host + (resolved != null ? " (" + resolved.getHostAddress() + ")" : "")
        + " is a " + reason + " address; SATURN may reach it only if " + OutboundProperties.ENV + " lists it";
  }

  private static String invalidLiteral(String host) {
    return "'" + host + "' is not a valid IP address";
  }

  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Why an address is not public, or null when it is. */
  static String blockedBecause(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      InetAddress embedded = embeddedIpv4(b);
      if (embedded != null) {
        String reason = blockedBecause(embedded);
        return reason == null ? null : reason + " (IPv4 inside IPv6)";
      }
      if (v6.isAnyLocalAddress()) {
        return "unspecified";
      }
      if (v6.isLoopbackAddress()) {
        return "loopback";
      }
      if (v6.isLinkLocalAddress() || (b[0] == (byte) 0xfe && (b[1] & 0xc0) == 0x80)) {
        return "link-local";
      }
      if (v6.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc) {
        return "private";
      }
      if (v6.isMulticastAddress()) {
        return "multicast";
      }
      if (isZeroPrefix(b, 12)) {
        return "reserved";
      }
      return null;
    }
    byte[] b = address.getAddress();
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0) {
      return "\"this network\"";
    }
    if (address.isLoopbackAddress() || first == 127) {
      return "loopback";
    }
    if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
      return "private";
    }
    if (first == 169 && second == 254) {
      return "link-local (cloud metadata)";
    }
    if (first == 100 && second >= 64 && second <= 127) {
      return "CGNAT";
    }
    if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
      return "reserved";
    }
    if (first == 198 && (second == 18 || second == 19)) {
      return "reserved";
    }
    if (first >= 224 && first <= 239) {
      return "multicast";
    }
    if (first >= 240) {
      return "reserved";
    }
    return null;
  }

  /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 address. */
  private static InetAddress embeddedIpv4(byte[] b) {
    try {
      boolean mapped = isZeroPrefix(b, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      boolean compatible = isZeroPrefix(b, 12) && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
      boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && isZeroRange(b, 4, 12);
      if (mapped || compatible || nat64) {
        return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
      }
      if (b[0] == 0x20 && b[1] == 0x02) {
        return Inet4Address.getByAddress(new byte[] {b[2], b[3], b[4], b[5]});
      }
      return null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean isZeroPrefix(byte[] b, int length) {
    return isZeroRange(b, 0, length);
  }

  private static boolean isZeroRange(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
