package dev.saturn.workflows.agents;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An agent's knowledge-base settings ({@code config.kb}); a missing member means the platform
 * default from {@code saturn.kb}.
 *
 * @param chunkTokens the longest chunk, in tokens of the embedding model's tokenizer
 * @param chunkOverlap tokens shared by neighbouring chunks
 * @param topK passages put in the prompt
 * @param hybrid fuse BM25 keyword ranking with vector ranking (stores that support it)
 * @param minScore passages below this cosine similarity are left out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KbSettings(
    @JsonProperty("chunk_tokens") Integer chunkTokens,
    @JsonProperty("chunk_overlap") Integer chunkOverlap,
    @JsonProperty("top_k") Integer topK,
    @JsonProperty("hybrid") Boolean hybrid,
    @JsonProperty("min_score") Double minScore) {}
