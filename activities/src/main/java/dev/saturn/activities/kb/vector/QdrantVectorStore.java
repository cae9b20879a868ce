package dev.saturn.activities.kb.vector;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.KeywordIndexParams;
import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Qdrant through the official Java client: one collection per embedding space
 * ({@code <prefix><space key>}), {@code company_id} a keyword payload index marked as the tenant
 * key (Qdrant co-locates each tenant's points), {@code agent_id} and {@code document_id} keyword
 * indexes, and every search, count and delete carries must-conditions on company and agent.
 * Qdrant has no BM25 here, so a hybrid query is answered by vectors alone.
 */
public class QdrantVectorStore implements VectorStore {

  static final String COMPANY = "company_id";
  static final String AGENT = "agent_id";
  static final String DOCUMENT = "document_id";
  static final String VERSION = "version";
  static final String CHUNK = "chunk_index";
  static final String TITLE = "title";
  static final String TEXT = "text";

  private final QdrantClient client;
  private final EmbeddingSpace space;
  private final String collection;
  private final Duration timeout;
  private volatile boolean ready;

  public QdrantVectorStore(QdrantClient client, EmbeddingSpace space, String collectionPrefix, Duration timeout) {
    this.client = client;
    this.space = space;
    this.collection = collectionPrefix + space.key();
    this.timeout = timeout;
  }

  public String collection() {
    return collection;
  }

  @Override
  public String kind() {
    return "qdrant";
  }

  @Override
  public EmbeddingSpace space() {
    return space;
  }

  /** Creates the collection and its payload indexes once; safe when another process did it first. */
  private void ensureCollection() {
    if (ready) {
      return;
    }
    synchronized (this) {
      if (ready) {
        return;
      }
      if (!await(client.collectionExistsAsync(collection))) {
        await(client.createCollectionAsync(CreateCollection.newBuilder()
            .setCollectionName(collection)
            .setVectorsConfig(VectorsConfig.newBuilder().setParams(
                VectorParams.newBuilder().setSize(space.dimension()).setDistance(Distance.Cosine)))
            .build()));
      }
      index(COMPANY, FieldType.FieldTypeKeyword, PayloadIndexParams.newBuilder()
          .setKeywordIndexParams(KeywordIndexParams.newBuilder().setIsTenant(true)).build());
      index(AGENT, FieldType.FieldTypeKeyword, null);
      index(DOCUMENT, FieldType.FieldTypeKeyword, null);
      index(VERSION, FieldType.FieldTypeInteger, null);
      ready = true;
    }
  }

  private void index(String field, FieldType type, PayloadIndexParams params) {
    CreateFieldIndexCollection.Builder request = CreateFieldIndexCollection.newBuilder()
        .setCollectionName(collection).setFieldName(field).setFieldType(type).setWait(true);
    if (params != null) {
      request.setFieldIndexParams(params);
    }
    await(client.createPayloadIndexAsync(request.build(), timeout));
  }

  @Override
  public void upsert(KbScope scope, List<VectorPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    ensureCollection();
    List<PointStruct> structs = new ArrayList<>(points.size());
    for (VectorPoint point : points) {
      if (point.vector().length != space.dimension()) {
        throw new IllegalArgumentException("vector of dimension " + point.vector().length
            + " in a space of dimension " + space.dimension());
      }
      structs.add(PointStruct.newBuilder()
          .setId(id(point.id()))
          .setVectors(vectors(point.vector()))
          .putAllPayload(Map.<String, Value>of(
              COMPANY, value(scope.companyId()),
              AGENT, value(scope.agentId()),
              DOCUMENT, value(point.documentId()),
              VERSION, value(point.version()),
              CHUNK, value(point.chunkIndex()),
              TITLE, value(point.title() == null ? "" : point.title()),
              TEXT, value(point.text())))
          .build());
    }
    await(client.upsertAsync(
        UpsertPoints.newBuilder().setCollectionName(collection).setWait(true).addAllPoints(structs).build(), timeout));
  }

  @Override
  public List<VectorHit> search(KbScope scope, VectorQuery query) {
    ensureCollection();
    List<Float> vector = new ArrayList<>(query.vector().length);
    for (float f : query.vector()) {
      vector.add(f);
    }
    SearchPoints.Builder request = SearchPoints.newBuilder()
        .setCollectionName(collection)
        .addAllVector(vector)
        .setFilter(scopeFilter(scope))
        .setLimit(query.topK())
        .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true));
    if (query.minScore() > -1.0) {
      request.setScoreThreshold((float) query.minScore());
    }
    List<ScoredPoint> points = await(client.searchAsync(request.build(), timeout));
    List<VectorHit> hits = new ArrayList<>(points.size());
    for (ScoredPoint point : points) {
      Map<String, Value> payload = point.getPayloadMap();
      hits.add(new VectorHit(
          payload.get(DOCUMENT).getStringValue(),
          (int) payload.get(VERSION).getIntegerValue(),
          (int) payload.get(CHUNK).getIntegerValue(),
          payload.get(TITLE).getStringValue(),
          payload.get(TEXT).getStringValue(),
          point.getScore()));
    }
    return hits;
  }

  @Override
  public void deleteVersion(KbScope scope, String documentId, int version) {
    delete(scopeFilter(scope).toBuilder()
        .addMust(matchKeyword(DOCUMENT, documentId))
        .addMust(match(VERSION, version))
        .build());
  }

  @Override
  public void deleteVersionsBelow(KbScope scope, String documentId, int version) {
    delete(scopeFilter(scope).toBuilder()
        .addMust(matchKeyword(DOCUMENT, documentId))
        .addMust(range(VERSION, Range.newBuilder().setLt(version).build()))
        .build());
  }

  @Override
  public void deleteDocument(KbScope scope, String documentId) {
    delete(scopeFilter(scope).toBuilder().addMust(matchKeyword(DOCUMENT, documentId)).build());
  }

  private void delete(Filter filter) {
    ensureCollection();
    await(client.deleteAsync(DeletePoints.newBuilder()
        .setCollectionName(collection)
        .setWait(true)
        .setPoints(PointsSelector.newBuilder().setFilter(filter))
        .build(), timeout));
  }

  @Override
  public long count(KbScope scope) {
    ensureCollection();
    return await(client.countAsync(collection, scopeFilter(scope), true, timeout));
  }

  /** Both conditions are must-clauses: a point matches only in its own company and agent. */
  static Filter scopeFilter(KbScope scope) {
    return Filter.newBuilder()
        .addMust(matchKeyword(COMPANY, scope.companyId()))
        .addMust(matchKeyword(AGENT, scope.agentId()))
        .build();
  }

  private <T> T await(Future<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling Qdrant", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Qdrant call failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Qdrant did not answer within " + timeout, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
