package dev.saturn.common.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operator's exceptions to the SSRF guard ({@code SATURN_OUTBOUND_ALLOWED_HOSTS}): comma-separated
 * {@code host:port} (that host on that port), {@code host} (any port) or CIDR ({@code 10.1.0.0/16},
 * {@code fd00::/8}: any address inside, any port). IPv6 hosts are written in brackets with a port
 * ({@code [::1]:8080}). Host names match the URL's host, not what it resolves to.
 */
final class AllowedTargets {

  private record HostEntry(String host, int port) {}

  private record Cidr(byte[] network, int bits) {
    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (bytes[full] & mask) == (network[full] & mask);
    }
  }

  private final List<HostEntry> hosts = new ArrayList<>();
  private final List<Cidr> cidrs = new ArrayList<>();
  private final String setting;

  /** @param setting the property the entries come from, named when one is malformed */
  AllowedTargets(String spec, String setting) {
    this.setting = setting;
    if (spec == null) {
      return;
    }
    for (String raw : spec.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.contains("/")) {
        cidrs.add(cidr(entry));
      } else {
        hosts.add(host(entry));
      }
    }
  }

  /** Every entry of both lists. */
  AllowedTargets and(AllowedTargets other) {
    AllowedTargets both = new AllowedTargets(null, setting + " and " + other.setting);
    both.hosts.addAll(hosts);
    both.hosts.addAll(other.hosts);
    both.cidrs.addAll(cidrs);
    both.cidrs.addAll(other.cidrs);
    return both;
  }

  /** Whether the URL's host (as written) and port are allowlisted by a host entry. */
  boolean allowsHost(String host, int port) {
    String normalized = normalize(host);
    for (HostEntry entry : hosts) {
      if (entry.host().equals(normalized) && (entry.port() < 0 || entry.port() == port)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an address is allowlisted by a CIDR entry or an IP-literal host entry. */
  boolean allowsAddress(InetAddress address, int port) {
    for (Cidr cidr : cidrs) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return allowsHost(address.getHostAddress(), port);
  }

  private HostEntry host(String entry) {
    String host = entry;
    int port = -1;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(setting + ": bad entry '" + entry + "'");
      }
      host = entry.substring(1, close);
      if (entry.length() > close + 1) {
        port = port(entry, entry.substring(close + 1).replaceFirst("^:", ""));
      }
    } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
      host = entry.substring(0, entry.indexOf(':'));
      port = port(entry, entry.substring(entry.indexOf(':') + 1));
    }
    return new HostEntry(normalize(host), port);
  }

  private int port(String entry, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + ": bad port in '" + entry + "'");
    }
  }

  private Cidr cidr(String entry) {
    String[] parts = entry.split("/", 2);
    try {
      if (!parts[0].matches("[0-9a-fA-F:.]+")) {
        throw new UnknownHostException(parts[0]);
      }
      byte[] network = InetAddress.getByName(parts[0]).getAddress();
      int bits = Integer.parseInt(parts[1]);
      if (bits < 0 || bits > network.length * 8) {
        throw new NumberFormatException();
      }
      return new Cidr(network, bits);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException(setting + ": bad CIDR '" + entry + "'");
    }
  }

  /** Lower case; an IP literal in its canonical form, so 127.000.0.1 and [::0001] match too. */
  static String normalize(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (IpLiterals.isLiteral(h)) {
      InetAddress address = IpLiterals.parse(h);
      if (address != null) {
        return address.getHostAddress();
      }
    }
    return h;
  }
}
