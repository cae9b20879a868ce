package dev.saturn.common.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP literals, parsed without ever asking DNS. */
final class IpLiterals {

  private IpLiterals() {}

  static boolean isLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
  }

  /** The address, or null when the text is not a literal Java accepts without a lookup. */
  static InetAddress parse(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!isLiteral(h)) {
      return null;
    }
    try {
      // For text made of digits, dots and colons only, getByName parses and does no lookup.
      return InetAddress.getByName(h);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
