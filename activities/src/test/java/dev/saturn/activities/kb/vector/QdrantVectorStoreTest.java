package dev.saturn.activities.kb.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.Filter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared contract against the Qdrant adapter, talking gRPC to {@link QdrantStandIn}. Proves the
 * adapter's requests are well-formed for the client's generated stubs and that, under Qdrant's
 * documented filter semantics, they scope every read and delete; it does not prove Qdrant's own
 * HNSW, its tenant co-location, or server-side validation (docs/architecture.md).
 */
class QdrantVectorStoreTest extends VectorStoreContract {

  QdrantStandIn server;

  @Override
  VectorStore open(EmbeddingSpace space) {
    server = new QdrantStandIn();
    QdrantClient client = new QdrantClient(QdrantGrpcClient.newBuilder(server.channel(), true).build());
    return new QdrantVectorStore(client, space, "saturn_kb_", Duration.ofSeconds(5));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void givenFirstUse_whenWriting_itShouldCreateOneCollectionPerSpaceWithTheCompanyAsTenantIndex() {
    store.upsert(A1, List.of(point("d1", 1, 0, "x", axis(0))));

    assertThat(server.collections).containsOnlyKeys("saturn_kb_contract_model_8");
    assertThat(server.collections.get("saturn_kb_contract_model_8").size()).isEqualTo(8);
    assertThat(server.payloadIndexes).contains(
        "saturn_kb_contract_model_8/company_id/FieldTypeKeyword/true",
        "saturn_kb_contract_model_8/agent_id/FieldTypeKeyword/false");
  }

  @Test
  void givenAnyReadOrDelete_whenSent_itShouldCarryMustConditionsOnCompanyAndAgent() {
    store.upsert(A1, List.of(point("d1", 1, 0, "x", axis(0))));
    store.search(A1, VectorQuery.of(axis(0), 1));
    store.count(A1);
    store.deleteVersion(A1, "d1", 1);
    store.deleteDocument(A1, "d1");

    assertThat(server.filtersSeen).hasSize(4);
    for (Filter filter : server.filtersSeen) {
      assertThat(filter.getMustList()).extracting(c -> c.getField().getKey() + "=" + c.getField().getMatch().getKeyword())
          .contains("company_id=company-a", "agent_id=agent-1");
    }
  }

  @Test
  void givenACollectionMadeByAnotherProcess_whenOpening_itShouldReuseIt() {
    store.upsert(A1, List.of(point("d1", 1, 0, "x", axis(0))));
    QdrantClient second = new QdrantClient(QdrantGrpcClient.newBuilder(server.channel(), true).build());
    try (VectorStore other = new QdrantVectorStore(second, SPACE, "saturn_kb_", Duration.ofSeconds(5))) {
      assertThat(other.count(A1)).isEqualTo(1);
    }
  }
}
