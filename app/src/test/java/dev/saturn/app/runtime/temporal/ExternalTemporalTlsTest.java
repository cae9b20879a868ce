package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * EXTERNAL mode against a frontend that demands mTLS and checks what a Temporal Cloud endpoint
 * checks: the certificate name, the client certificate, the bearer key and the namespace header.
 */
class ExternalTemporalTlsTest {

  private static final String SERVER_NAME = "temporal.test";
  private static final String NAMESPACE = "saturn-prod.acct";
  private static final String API_KEY = "test-api-key";

  @TempDir static Path pki;

  private static Server frontend;
  private static final Map<String, String> lastHeaders = new ConcurrentHashMap<>();

  @BeforeAll
  static void startMutualTlsFrontend() throws Exception {
    Assumptions.assumeTrue(
        new ProcessBuilder("openssl", "version").start().waitFor() == 0,
        "openssl is needed to make test certificates");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=saturn-test-ca", "-keyout", "ca.key", "-out", "ca.pem");
    issue("server", SERVER_NAME, "subjectAltName=DNS:" + SERVER_NAME);
    issue("client", "saturn-worker", "extendedKeyUsage=clientAuth");

    frontend =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(
                GrpcSslContexts.forServer(
                        pki.resolve("server.pem").toFile(), pki.resolve("server.key").toFile())
                    .trustManager(pki.resolve("ca.pem").toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build())
            .addService(ServerInterceptors.intercept(new NamespaceOnlyService(), captureHeaders()))
            .build()
            .start();
  }

  @BeforeEach
  void forgetHeaders() {
    lastHeaders.clear();
  }

  @AfterAll
  static void stopFrontend() throws InterruptedException {
    if (frontend != null) {
      frontend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void reachesTheFrontendWithMutualTlsTheApiKeyAndTheNamespaceHeader() {
    external(
            "saturn.temporal.tls.client-cert-file=" + pki.resolve("client.pem"),
            "saturn.temporal.tls.client-key-file=" + pki.resolve("client.key"),
            "saturn.temporal.tls.server-name=" + SERVER_NAME)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(TemporalServer.class).mode())
                  .isEqualTo(TemporalMode.EXTERNAL);
              assertThat(context.getBean(TemporalHealth.class).isReachable(Duration.ofSeconds(5)))
                  .isTrue();
              assertThat(lastHeaders)
                  .containsEntry("authorization", "Bearer " + API_KEY)
                  .containsEntry("temporal-namespace", NAMESPACE);
            });
  }

  @Test
  void isUnreachableWithoutTheClientCertificate() {
    external("saturn.temporal.tls.server-name=" + SERVER_NAME)
        .run(
            context ->
                assertThat(
                        context.getBean(TemporalHealth.class).isReachable(Duration.ofSeconds(3)))
                    .isFalse());
  }

  @Test
  void isUnreachableWhenTheCertificateNameDoesNotMatchTheTarget() {
    external(
            "saturn.temporal.tls.client-cert-file=" + pki.resolve("client.pem"),
            "saturn.temporal.tls.client-key-file=" + pki.resolve("client.key"))
        .run(
            context ->
                assertThat(
                        context.getBean(TemporalHealth.class).isReachable(Duration.ofSeconds(3)))
                    .isFalse());
  }

  private ApplicationContextRunner external(String... tlsProperties) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "saturn.temporal.mode=external",
                "saturn.temporal.target=127.0.0.1:" + frontend.getPort(),
                "saturn.temporal.namespace=" + NAMESPACE,
                "saturn.temporal.api-key=" + API_KEY,
                "saturn.temporal.tls.ca-cert-file=" + pki.resolve("ca.pem")));
    properties.addAll(List.of(tlsProperties));
    return TemporalContextRunner.create()
        .withPropertyValues(properties.toArray(String[]::new));
  }

  private static void issue(String name, String commonName, String extension) throws Exception {
    Files.writeString(pki.resolve(name + ".ext"), extension + "\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
        "-keyout", name + ".key", "-out", name + ".csr");
    openssl("x509", "-req", "-days", "1", "-in", name + ".csr", "-CA", "ca.pem",
        "-CAkey", "ca.key", "-CAcreateserial", "-extfile", name + ".ext", "-out", name + ".pem");
  }

  private static void openssl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command)
            .directory(pki.toFile())
            .redirectErrorStream(true)
            .redirectOutput(pki.resolve("openssl.log").toFile())
            .start();
    assertThat(process.waitFor())
        .as("%s: %s", command, Files.exists(pki.resolve("openssl.log"))
            ? Files.readString(pki.resolve("openssl.log")) : "")
        .isZero();
  }

  private static ServerInterceptor captureHeaders() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        for (String key : List.of("authorization", "temporal-namespace")) {
          String value = headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          if (value != null) {
            lastHeaders.put(key, value);
          }
        }
        return next.startCall(call, headers);
      }
    };
  }

  /** Just what the SDK calls before and for a health check. */
  private static final class NamespaceOnlyService
      extends WorkflowServiceGrpc.WorkflowServiceImplBase {

    @Override
    public void getSystemInfo(
        GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
      response.onNext(GetSystemInfoResponse.getDefaultInstance());
      response.onCompleted();
    }

    @Override
    public void describeNamespace(
        DescribeNamespaceRequest request, StreamObserver<DescribeNamespaceResponse> response) {
      response.onNext(
          DescribeNamespaceResponse.newBuilder()
              .setNamespaceInfo(NamespaceInfo.newBuilder().setName(request.getNamespace()))
              .build());
      response.onCompleted();
    }
  }
}
