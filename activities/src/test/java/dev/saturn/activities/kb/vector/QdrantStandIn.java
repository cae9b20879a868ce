package dev.saturn.activities.kb.vector;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.PointsGrpc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A wire-level stand-in for the part of Qdrant's gRPC API that {@link QdrantVectorStore} uses,
 * built on the client's own generated service bases ({@code CollectionsGrpc.CollectionsImplBase},
 * {@code PointsGrpc.PointsImplBase}) and served in process. It keeps points in memory, scores by
 * exact cosine, and evaluates filters for real (must / should / must_not, nested filters, keyword
 * and integer matches). A request that uses anything else fails with UNIMPLEMENTED, so a change in
 * the adapter that reaches beyond what is modelled here shows up as a failing test, not as a
 * silently wrong answer.
 */
public final class QdrantStandIn implements AutoCloseable {

  /** One collection: its vector size and its points by id. */
  record Collection(int size, Map<PointId, PointStruct> points) {}

  final Map<String, Collection> collections = new ConcurrentHashMap<>();
  /** Payload indexes created, as "collection/field/type/tenant". */
  final List<String> payloadIndexes = new CopyOnWriteArrayList<>();
  /** Every filter a search, count or delete carried, in order. */
  final List<Filter> filtersSeen = new CopyOnWriteArrayList<>();

  private final String name = "qdrant-stand-in-" + System.nanoTime();
  private final Server server;

  public QdrantStandIn() {
    try {
      server = InProcessServerBuilder.forName(name).directExecutor()
          .addService(new Collections())
          .addService(new Points())
          .build()
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public ManagedChannel channel() {
    return InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private final class Collections extends CollectionsGrpc.CollectionsImplBase {
    @Override
    public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> response) {
      response.onNext(CollectionExistsResponse.newBuilder()
          .setResult(CollectionExists.newBuilder().setExists(collections.containsKey(request.getCollectionName())))
          .build());
      response.onCompleted();
    }

    @Override
    public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> response) {
      if (!request.getVectorsConfig().hasParams() || request.getVectorsConfig().getParams().getDistance() != Distance.Cosine) {
        response.onError(Status.UNIMPLEMENTED.withDescription("stand-in models one unnamed cosine vector only").asException());
        return;
      }
      if (collections.putIfAbsent(request.getCollectionName(),
          new Collection((int) request.getVectorsConfig().getParams().getSize(), new ConcurrentHashMap<>())) != null) {
        response.onError(Status.ALREADY_EXISTS.withDescription("Collection already exists").asException());
        return;
      }
      response.onNext(CollectionOperationResponse.newBuilder().setResult(true).build());
      response.onCompleted();
    }
  }

  private final class Points extends PointsGrpc.PointsImplBase {
    @Override
    public void createFieldIndex(CreateFieldIndexCollection request, StreamObserver<PointsOperationResponse> response) {
      if (!collections.containsKey(request.getCollectionName())) {
        response.onError(Status.NOT_FOUND.withDescription("no collection " + request.getCollectionName()).asException());
        return;
      }
      payloadIndexes.add(request.getCollectionName() + "/" + request.getFieldName() + "/" + request.getFieldType()
          + "/" + request.getFieldIndexParams().getKeywordIndexParams().getIsTenant());
      completed(response);
    }

    @Override
    public void upsert(io.qdrant.client.grpc.Points.UpsertPoints request, StreamObserver<PointsOperationResponse> response) {
      Collection collection = collections.get(request.getCollectionName());
      if (collection == null) {
        response.onError(Status.NOT_FOUND.withDescription("no collection").asException());
        return;
      }
      for (PointStruct point : request.getPointsList()) {
        if (vector(point).length != collection.size()) {
          response.onError(Status.INVALID_ARGUMENT.withDescription("wrong vector dimension").asException());
          return;
        }
      }
      request.getPointsList().forEach(p -> collection.points().put(p.getId(), p));
      completed(response);
    }

    @Override
    public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> response) {
      Collection collection = collections.get(request.getCollectionName());
      if (collection == null || request.getPoints().getPointsSelectorOneOfCase() != PointsSelector.PointsSelectorOneOfCase.FILTER) {
        response.onError(Status.UNIMPLEMENTED.withDescription("stand-in deletes by filter only").asException());
        return;
      }
      Filter filter = request.getPoints().getFilter();
      filtersSeen.add(filter);
      try {
        collection.points().values().removeIf(p -> matches(filter, p.getPayloadMap()));
      } catch (UnsupportedOperationException e) {
        response.onError(Status.UNIMPLEMENTED.withDescription(e.getMessage()).asException());
        return;
      }
      completed(response);
    }

    @Override
    public void count(CountPoints request, StreamObserver<CountResponse> response) {
      Collection collection = collections.get(request.getCollectionName());
      if (collection == null) {
        response.onError(Status.NOT_FOUND.withDescription("no collection").asException());
        return;
      }
      filtersSeen.add(request.getFilter());
      long count = collection.points().values().stream().filter(p -> matches(request.getFilter(), p.getPayloadMap())).count();
      response.onNext(CountResponse.newBuilder().setResult(CountResult.newBuilder().setCount(count)).build());
      response.onCompleted();
    }

    @Override
    public void search(SearchPoints request, StreamObserver<SearchResponse> response) {
      Collection collection = collections.get(request.getCollectionName());
      if (collection == null) {
        response.onError(Status.NOT_FOUND.withDescription("no collection").asException());
        return;
      }
      filtersSeen.add(request.getFilter());
      float[] query = new float[request.getVectorCount()];
      for (int i = 0; i < query.length; i++) {
        query[i] = request.getVector(i);
      }
      List<ScoredPoint> scored = new ArrayList<>();
      try {
        for (PointStruct point : collection.points().values()) {
          if (!matches(request.getFilter(), point.getPayloadMap())) {
            continue;
          }
          float score = (float) LuceneVectorStore.cosine(query, vector(point));
          if (request.hasScoreThreshold() && score < request.getScoreThreshold()) {
            continue;
          }
          scored.add(ScoredPoint.newBuilder().setId(point.getId()).setScore(score)
              .putAllPayload(request.getWithPayload().getEnable() ? point.getPayloadMap() : Map.of()).build());
        }
      } catch (UnsupportedOperationException e) {
        response.onError(Status.UNIMPLEMENTED.withDescription(e.getMessage()).asException());
        return;
      }
      scored.sort(Comparator.comparingDouble(ScoredPoint::getScore).reversed());
      response.onNext(SearchResponse.newBuilder()
          .addAllResult(scored.subList(0, (int) Math.min(scored.size(), request.getLimit()))).build());
      response.onCompleted();
    }

    private void completed(StreamObserver<PointsOperationResponse> response) {
      response.onNext(PointsOperationResponse.newBuilder()
          .setResult(UpdateResult.newBuilder().setStatus(UpdateStatus.Completed)).build());
      response.onCompleted();
    }
  }

  private static float[] vector(PointStruct point) {
    Vector vector = point.getVectors().getVector();
    List<Float> data = vector.getDataCount() > 0 ? vector.getDataList() : vector.getDense().getDataList();
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.get(i);
    }
    return out;
  }

  /** Qdrant's semantics: all must, at least one should (if any), no must_not. */
  static boolean matches(Filter filter, Map<String, Value> payload) {
    for (Condition c : filter.getMustList()) {
      if (!matches(c, payload)) {
        return false;
      }
    }
    for (Condition c : filter.getMustNotList()) {
      if (matches(c, payload)) {
        return false;
      }
    }
    if (filter.getShouldCount() > 0) {
      return filter.getShouldList().stream().anyMatch(c -> matches(c, payload));
    }
    return true;
  }

  private static boolean matches(Condition condition, Map<String, Value> payload) {
    switch (condition.getConditionOneOfCase()) {
      case FILTER:
        return matches(condition.getFilter(), payload);
      case FIELD:
        return matches(condition.getField(), payload);
      default:
        throw new UnsupportedOperationException("condition " + condition.getConditionOneOfCase() + " is not modelled");
    }
  }

  private static boolean matches(FieldCondition field, Map<String, Value> payload) {
    Value value = payload.get(field.getKey());
    if (field.hasRange()) {
      if (value == null || !(value.hasIntegerValue() || value.hasDoubleValue())) {
        return false;
      }
      double v = value.hasIntegerValue() ? value.getIntegerValue() : value.getDoubleValue();
      var range = field.getRange();
      return (!range.hasLt() || v < range.getLt()) && (!range.hasLte() || v <= range.getLte())
          && (!range.hasGt() || v > range.getGt()) && (!range.hasGte() || v >= range.getGte());
    }
    if (!field.hasMatch()) {
      throw new UnsupportedOperationException("only match and range conditions are modelled");
    }
    if (value == null) {
      return false;
    }
    switch (field.getMatch().getMatchValueCase()) {
      case KEYWORD:
        return value.hasStringValue() && value.getStringValue().equals(field.getMatch().getKeyword());
      case INTEGER:
        return value.hasIntegerValue() && value.getIntegerValue() == field.getMatch().getInteger();
      default:
        throw new UnsupportedOperationException("match " + field.getMatch().getMatchValueCase() + " is not modelled");
    }
  }
}
