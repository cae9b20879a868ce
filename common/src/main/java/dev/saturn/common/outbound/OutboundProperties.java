package dev.saturn.common.outbound;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where SATURN may connect on a tenant's behalf, bound from {@code saturn.outbound.*}.
 *
 * @param allowedHosts comma-separated {@code host:port}, {@code host} or CIDR entries that the SSRF
 *     guard lets through although they are loopback, private, link-local, ... (empty: none). The
 *     deprecated {@code saturn.tools.allowed-hosts} ({@code SATURN_TOOLS_ALLOWED_HOSTS}) still
 *     counts: the guard allows what either lists ({@link OutboundConfig})
 */
@ConfigurationProperties("saturn.outbound")
public record OutboundProperties(@DefaultValue("") String allowedHosts) {

  static final String SETTING = "saturn.outbound.allowed-hosts";
  static final String ENV = "SATURN_OUTBOUND_ALLOWED_HOSTS";
  /** The setting's name from before it covered every outbound target; an alias now. */
  static final String DEPRECATED_TOOLS_SETTING = "saturn.tools.allowed-hosts";

  public OutboundProperties {
    allowedHosts = allowedHosts == null ? "" : allowedHosts;
  }
}
