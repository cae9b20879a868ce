package dev.saturn.app.runtime.temporal;

import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** gRPC connection options towards the server, with TLS and the API key for EXTERNAL mode. */
public final class TemporalStubsOptions {

  /** Temporal Cloud routes API-key calls on shared endpoints by this header. */
  static final Metadata.Key<String> NAMESPACE_HEADER =
      Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

  private TemporalStubsOptions() {}

  public static WorkflowServiceStubsOptions forServer(
      TemporalServer server, TemporalProperties properties) {
    return applyTo(WorkflowServiceStubsOptions.newBuilder(), server, properties).build();
  }

  /**
   * Points {@code options} at {@code server} with SATURN's security settings; what else the
   * builder holds (the starter's metrics scope, plugins) stays.
   *
   * <p>Requests to a server this process runs (embedded, dev server) go uncompressed: the Java SDK
   * gzips every request by default (and the server then answers gzipped), which on loopback saves no
   * time and costs CPU on both sides of each of a turn's calls (docs/benchmarks.md, both the SDK
   * and the dev-server profiles). Towards an external server the SDK's default (gzip) stays.
   */
  public static WorkflowServiceStubsOptions.Builder applyTo(
      WorkflowServiceStubsOptions.Builder options, TemporalServer server, TemporalProperties properties) {
    if (server.mode() != TemporalMode.EXTERNAL) {
      options.setGrpcCompression(GrpcCompression.NONE);
    }
    if (server.inProcessChannel().isPresent()) {
      // The embedded server, in this JVM: no socket (the stubs leave a channel they were given open).
      options.setTarget(null);
      options.setChannel(server.inProcessChannel().get());
      return options;
    }
    options.setTarget(server.target());
    // Servers this process runs listen on loopback in plain text; security settings are for
    // someone else's server only.
    if (server.mode() == TemporalMode.EXTERNAL) {
      applySecurity(options, properties);
    }
    return options;
  }

  private static void applySecurity(
      WorkflowServiceStubsOptions.Builder options, TemporalProperties properties) {
    TemporalProperties.Tls tls = properties.tls();
    if (properties.useTls()) {
      boolean customised =
          tls.caCertFile() != null || tls.isMutual() || tls.serverName() != null;
      if (customised) {
        options.setSslContext(sslContext(tls));
      } else {
        options.setEnableHttps(true);
      }
      if (tls.serverName() != null) {
        // The authority is what gRPC verifies the certificate against and sends as SNI.
        options.setChannelInitializer(channel -> channel.overrideAuthority(tls.serverName()));
      }
    }
    if (properties.hasApiKey()) {
      String apiKey = properties.apiKey();
      options.addApiKey(() -> apiKey);
      Metadata headers = new Metadata();
      headers.put(NAMESPACE_HEADER, properties.namespace());
      options.setHeaders(headers);
    }
  }

  static SslContext sslContext(TemporalProperties.Tls tls) {
    try {
      SslContextBuilder builder = GrpcSslContexts.forClient();
      if (tls.caCertFile() != null) {
        builder.trustManager(readable(tls.caCertFile(), "ca-cert-file").toFile());
      }
      if (tls.isMutual()) {
        builder.keyManager(
            readable(tls.clientCertFile(), "client-cert-file").toFile(),
            readable(tls.clientKeyFile(), "client-key-file").toFile());
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot set up TLS towards Temporal: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      // Netty reports an unparsable PEM (e.g. a PKCS#1 key instead of PKCS#8) this way.
      throw new IllegalStateException(
          "Cannot read the TLS files in saturn.temporal.tls (PEM certificates, PKCS#8 key): "
              + e.getMessage(),
          e);
    }
  }

  private static Path readable(Path file, String property) {
    if (!Files.isReadable(file)) {
      throw new IllegalStateException(
          "saturn.temporal.tls." + property + " points to " + file + ", which is not readable");
    }
    return file;
  }
}
