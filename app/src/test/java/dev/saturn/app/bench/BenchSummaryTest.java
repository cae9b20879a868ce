package dev.saturn.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary reads what the benchmarks write; a format change on either side must show here. */
class BenchSummaryTest {

  @TempDir Path dir;

  @Test
  void judgesEachTargetFromTheBenchmarksOwnOutputs() throws Exception {
    Files.writeString(dir.resolve("chat-turn.csv"), """
        run,mode,concurrency,turns,errors,p50_ms,p99_ms,mean_ms,max_ms,turns_per_s,cpu_ms_per_turn,jvm_cpu_ms_per_turn,db_cpu_ms_per_turn,server_cpu_ms_per_turn,jit_cpu_ms_per_turn,sql_per_turn,load_average
        1,direct,1,100,0,6.0,9,6,9,150,5,3,2,0,0,12.00,0.5
        2,direct,1,100,0,8.0,9,6,9,150,5,3,2,0,0,12.00,0.5
        3,direct,1,100,0,7.0,9,6,9,150,5,3,2,0,0,12.00,0.5
        1,workflow/embedded,1,100,0,19.0,30,20,30,50,20,15,5,0,0,12.00,0.5
        1,workflow/dev-server,1,100,0,90.0,30,20,30,50,20,15,5,0,0,12.00,0.5
        1,workflow/dev-server,16,100,0,300.0,30,20,30,31.5,20,15,5,0,0,12.00,0.5
        1,http/embedded,16,100,0,200.0,30,20,30,79.0,20,15,5,0,0,16.00,0.5
        """);
    Files.writeString(dir.resolve("billing.md"), """
        # Billing run benchmark
        events=1000000 companies=100 period=2026-10 temporal=embedded cpus=2 load=0.5
        first run (drafts created): 9.40 s, drafted=100 changed=100 failed=0, 106000 events/s
        second run (recomputed, unchanged): 8.00 s, drafted=100 changed=0 failed=0
        """);
    Files.createDirectories(dir.resolve("kb"));
    Files.writeString(dir.resolve("kb/kb-x.csv"), """
        part,store_or_mode,size,metric,value
        indexing,workflow,300,chunks_per_s,18.0
        indexing,raw-8,300,chunks_per_s,15.0
        indexing,raw-16,300,chunks_per_s,20.0
        indexing,workflow,301,chunks_per_s,17.0
        indexing,raw-minilm,301,chunks_per_s,20.0
        indexing,workflow,302,chunks_per_s,19.0
        indexing,raw-minilm,302,chunks_per_s,20.0
        retrieval,langchain4j InMemoryEmbeddingStore (exact),100000,p50_ms,80.0
        retrieval,Lucene 9.12 HNSW, int7 quantized (LuceneVectorStore),100000,p50_ms,3.0
        retrieval,Lucene 9.12 HNSW, int7 quantized (LuceneVectorStore),100000,p99_ms,9.5
        retrieval,Lucene 9.12 HNSW, int7 quantized (LuceneVectorStore),100000,recall_at_10,0.99
        """);

    String summary = BenchSummary.summarize(dir);

    assertThat(summary)
        .contains("| chat turn: SQL statements per turn (`direct`) | 12.0 | ≤ 15 | yes |")
        .contains("| chat turn: `direct` p50 ms, c=1 | 7.00 ms | ≤ 8 ms | yes |")
        .contains("| chat turn: `workflow/embedded` p50 over `direct`, c=1 | +12.0 ms (19.0 vs 7.0) | ≤ +15 ms | yes |")
        .contains("| chat turn: `workflow/dev-server` p50 over `direct`, c=1 | +83.0 ms (90.0 vs 7.0) | ≤ +60 ms | **no** |")
        .contains("| chat turn: `workflow/dev-server` turns/s, c=16 | 31.5 | ≥ 30 | yes |")
        .contains("| chat turn: `http/embedded` turns/s, c=16 | 79.0 | ≥ 80 | **no** |")
        .contains("| billing run: 1,000,000 usage events, 100 companies → all drafts | 9.4 s |")
        .contains("| 9.50 ms / 0.990 / 27× (p50 3.00 vs 80.00 ms) |")
        .contains("| indexing throughput / raw MiniLM throughput | 0.90× (median of 3 rounds) | ≥ 0.9× | yes |");
  }

  @Test
  void aBenchmarkThatDidNotRunIsSaidSoAndNotJudged() throws Exception {
    String summary = BenchSummary.summarize(dir);

    assertThat(summary).contains("| indexing throughput / raw MiniLM throughput | not run | ≥ 0.9× | — |");
    assertThat(summary).doesNotContain("yes").doesNotContain("**no**");
  }

  @Test
  void aBillingRunAtAnotherScaleIsShownButNotJudged() throws Exception {
    Files.writeString(dir.resolve("billing.md"), """
        events=100000 companies=10 period=2026-10 temporal=embedded cpus=2 load=0.5
        first run (drafts created): 2.00 s, drafted=10 changed=10 failed=0
        """);

    assertThat(BenchSummary.summarize(dir))
        .contains("| billing run: 100,000 usage events, 10 companies → all drafts | 2.0 s | ≤ 10 s at 1,000,000 events | — |");
  }
}
