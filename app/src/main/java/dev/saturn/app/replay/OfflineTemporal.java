package dev.saturn.app.replay;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Service stubs for replaying a history from a file: a worker asks its service for the server's
 * capabilities before it replays anything, and nothing else. This in-process service (no socket,
 * no network) answers that one call as Temporal's own test server does for {@code
 * WorkflowReplayer}; every other call is UNIMPLEMENTED, so a replay from a file cannot reach any
 * real server, even by accident.
 */
final class OfflineTemporal implements AutoCloseable {

  private final Server server;
  private final ManagedChannel channel;
  private final WorkflowServiceStubs stubs;

  private OfflineTemporal(Server server, ManagedChannel channel, WorkflowServiceStubs stubs) {
    this.server = server;
    this.channel = channel;
    this.stubs = stubs;
  }

  static OfflineTemporal start() {
    String name = InProcessServerBuilder.generateName();
    Server server;
    try {
      server = InProcessServerBuilder.forName(name).directExecutor().addService(new CapabilitiesOnly()).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setChannel(channel).build());
    return new OfflineTemporal(server, channel, stubs);
  }

  WorkflowServiceStubs stubs() {
    return stubs;
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static final class CapabilitiesOnly extends WorkflowServiceGrpc.WorkflowServiceImplBase {
    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
      response.onNext(GetSystemInfoResponse.newBuilder()
          .setCapabilities(GetSystemInfoResponse.Capabilities.newBuilder()
              .setSdkMetadata(true)
              .setSignalAndQueryHeader(true)
              .setEncodedFailureAttributes(true)
              .setEagerWorkflowStart(true))
          .build());
      response.onCompleted();
    }
  }
}
