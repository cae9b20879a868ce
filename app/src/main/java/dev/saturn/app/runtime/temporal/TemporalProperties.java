package dev.saturn.app.runtime.temporal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How this process reaches Temporal, bound from {@code saturn.temporal.*}.
 *
 * @param mode see {@link TemporalMode}; AUTO picks DEV_SERVER when the CLI is found
 * @param port gRPC port of the server this process starts (EMBEDDED, DEV_SERVER)
 * @param uiPort Web UI port of the dev server; defaults to {@code port + 1000} like the CLI does
 * @param bindAddress the one address the server this process starts (EMBEDDED, DEV_SERVER, and the
 *     dev server's Web UI) listens on; loopback by default, because neither server authenticates
 * @param namespace used by the client and workers; the dev server creates it at launch
 * @param target {@code host:port} of the server in EXTERNAL mode
 * @param cliPath explicit {@code temporal} binary; otherwise it is searched on the PATH
 * @param startTimeout how long a started server may take to answer before startup fails
 * @param tls transport security towards an EXTERNAL server
 * @param apiKey Temporal Cloud API key, sent as {@code Authorization: Bearer} on every call
 * @param devServer how the dev server this process launches (DEV_SERVER) is run
 */
@Validated
@ConfigurationProperties("saturn.temporal")
public record TemporalProperties(
    TemporalMode mode,
    @Min(1) @Max(65535) Integer port,
    @Min(1) @Max(65535) Integer uiPort,
    InetAddress bindAddress,
    @NotBlank String namespace,
    String target,
    Path cliPath,
    Duration startTimeout,
    @Valid @DefaultValue Tls tls,
    String apiKey,
    @Valid @DefaultValue DevServer devServer) {

  public static final int DEFAULT_PORT = 7233;
  public static final int UI_PORT_OFFSET = 1000;
  public static final String DEFAULT_NAMESPACE = "default";
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  public TemporalProperties {
    // Defaults live here rather than in @DefaultValue because env mappings like
    // ${SATURN_TEMPORAL_TARGET:} bind "" (or null for numbers and enums), which must fall back too.
    mode = mode == null ? TemporalMode.AUTO : mode;
    port = port == null ? DEFAULT_PORT : port;
    uiPort = uiPort == null ? port + UI_PORT_OFFSET : uiPort;
    bindAddress = bindAddress == null ? InetAddress.getLoopbackAddress() : bindAddress;
    namespace = isBlank(namespace) ? DEFAULT_NAMESPACE : namespace.strip();
    target = isBlank(target) ? null : target.strip();
    cliPath = cliPath == null || cliPath.toString().isBlank() ? null : cliPath;
    startTimeout = startTimeout == null ? DEFAULT_START_TIMEOUT : startTimeout;
    tls = tls == null ? Tls.DISABLED : tls;
    apiKey = isBlank(apiKey) ? null : apiKey.strip();
    devServer = devServer == null ? DevServer.DEFAULTS : devServer;
  }

  public boolean hasApiKey() {
    return apiKey != null;
  }

  /**
   * TLS is on when asked for, and by default whenever an API key is set: Temporal Cloud only
   * accepts keys over TLS, and a bearer token must not cross the network in clear text.
   */
  public boolean useTls() {
    return tls.enabled() == null ? hasApiKey() : tls.enabled();
  }

  @AssertTrue(message = "saturn.temporal.target (host:port) is required when mode is EXTERNAL")
  public boolean isTargetGivenWhenExternal() {
    return mode != TemporalMode.EXTERNAL || target != null;
  }

  @AssertTrue(message = "saturn.temporal.start-timeout must be positive")
  public boolean isStartTimeoutPositive() {
    return !startTimeout.isNegative() && !startTimeout.isZero();
  }

  /** Masks the API key: the generated record toString would put it into logs and dumps. */
  @Override
  public String toString() {
    return "TemporalProperties[mode="
        + mode
        + ", port="
        + port
        + ", uiPort="
        + uiPort
        + ", bindAddress="
        + bindAddress.getHostAddress()
        + ", namespace="
        + namespace
        + ", target="
        + target
        + ", cliPath="
        + cliPath
        + ", startTimeout="
        + startTimeout
        + ", tls="
        + tls
        + ", apiKey="
        + (hasApiKey() ? "****" : "<none>")
        + ", devServer="
        + devServer
        + "]";
  }

  /**
   * TLS towards an EXTERNAL server.
   *
   * @param enabled {@code null} means "on if an API key is set"; set {@code false} explicitly to
   *     send an API key over plain text to a trusted proxy
   * @param caCertFile PEM bundle that signs the server certificate; the JDK trust store if unset
   * @param clientCertFile PEM client certificate chain for mTLS (with {@code clientKeyFile})
   * @param clientKeyFile PEM PKCS#8 private key for mTLS
   * @param serverName name to verify the server certificate against (and send as SNI) when it
   *     differs from the host in {@code target}, e.g. when connecting through a tunnel
   */
  public record Tls(
      Boolean enabled, Path caCertFile, Path clientCertFile, Path clientKeyFile, String serverName) {

    static final Tls DISABLED = new Tls(null, null, null, null, null);

    public Tls {
      caCertFile = emptyToNull(caCertFile);
      clientCertFile = emptyToNull(clientCertFile);
      clientKeyFile = emptyToNull(clientKeyFile);
      serverName = isBlank(serverName) ? null : serverName.strip();
    }

    public boolean isMutual() {
      return clientCertFile != null;
    }

    @AssertTrue(
        message =
            "saturn.temporal.tls.client-cert-file and client-key-file must be set together (mTLS)")
    public boolean isClientCertAndKeyPaired() {
      return (clientCertFile == null) == (clientKeyFile == null);
    }

    private static Path emptyToNull(Path path) {
      return path == null || path.toString().isBlank() ? null : path;
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /**
   * The dev server SATURN launches (DEV_SERVER); docs/operations.md explains each default.
   *
   * @param sqlitePragmas {@code --sqlite-pragma NAME=VALUE} for its SQLite file; unset: {@link
   *     #DEFAULT_SQLITE_PRAGMAS} (WAL, synchronous=NORMAL: no fsync per commit, survives a killed
   *     process, may lose the last commits on an OS crash or power loss); empty: SQLite's own
   *     defaults (rollback journal, an fsync per commit)
   * @param dynamicConfig {@code --dynamic-config-value KEY=VALUE} on top of eager start and eager
   *     activities (always set); unset: {@link #DEFAULT_DYNAMIC_CONFIG}; empty: none
   */
  public record DevServer(List<String> sqlitePragmas, List<String> dynamicConfig) {

    public static final List<String> DEFAULT_SQLITE_PRAGMAS =
        List.of("journal_mode=wal", "synchronous=normal");
    /**
     * One task-queue partition: on a single-process server more only add polls and forwarding.
     * Search attributes from the server's 60-second cache: the CLI's own default re-reads them from
     * SQLite on every use (about 8 reads per chat turn); SATURN restarts a server it had to add
     * attributes to, so none is ever missing from that cache.
     */
    public static final List<String> DEFAULT_DYNAMIC_CONFIG =
        List.of(
            "matching.numTaskqueueReadPartitions=1",
            "matching.numTaskqueueWritePartitions=1",
            "system.forceSearchAttributesCacheRefreshOnRead=false");

    public static final DevServer DEFAULTS = new DevServer(null, null);

    public DevServer {
      sqlitePragmas = sqlitePragmas == null ? DEFAULT_SQLITE_PRAGMAS : stripped(sqlitePragmas);
      dynamicConfig = dynamicConfig == null ? DEFAULT_DYNAMIC_CONFIG : stripped(dynamicConfig);
    }

    @AssertTrue(
        message =
            "saturn.temporal.dev-server.sqlite-pragmas and dynamic-config take NAME=VALUE items")
    public boolean isEveryItemNameEqualsValue() {
      return Stream.concat(sqlitePragmas.stream(), dynamicConfig.stream())
          .allMatch(item -> item.indexOf('=') > 0 && item.indexOf('=') < item.length() - 1);
    }

    private static List<String> stripped(List<String> items) {
      return items.stream().map(String::strip).filter(item -> !item.isEmpty()).toList();
    }
  }
}
