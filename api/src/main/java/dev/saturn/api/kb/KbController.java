package dev.saturn.api.kb;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.db.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.multipart.MultipartFile;

/**
 * An agent's knowledge base. Writes answer 202: the document's status is the state of its
 * indexing (or delete) workflow, polled with GET.
 */
@ApiController
@RequestMapping("/v1/agents/{agentId}/kb")
@Validated
class KbController {

  private final KbService kb;

  KbController(KbService kb) {
    this.kb = kb;
  }

  record DocumentList(List<KbDocumentView> items, String nextCursor) {}

  /** @param skipped documents not reindexed because they are being indexed or deleted */
  record ReindexAll(List<KbDocumentView> items, List<String> skipped) {}

  /** The OpenAPI shape of the upload form. */
  record UploadForm(
      @Schema(type = "string", format = "binary", description = ".txt, .md, .html, .pdf or .docx") String file,
      @Schema(description = "defaults to the file name") String title) {}

  @PostMapping("/documents")
  @Requires(Permission.KB_WRITE)
  @Operation(
      summary = "Upload a document; indexing starts at once and its progress shows on the document",
      requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
          required = true,
          content = @Content(mediaType = "multipart/form-data", schema = @Schema(implementation = UploadForm.class))),
      responses = @ApiResponse(responseCode = "202", description = "Stored; indexing started",
          content = @Content(mediaType = "application/json", schema = @Schema(implementation = KbDocumentView.class))))
  public ResponseEntity<KbDocumentView> upload(
      Caller caller,
      @PathVariable String agentId,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @io.swagger.v3.oas.annotations.Parameter(hidden = true) @RequestParam(name = "file", required = false) MultipartFile file,
      @io.swagger.v3.oas.annotations.Parameter(hidden = true) @RequestParam(name = "title", required = false) String title) {
    KbDocumentView view = kb.upload(caller, agentId, file, title, idempotencyKey);
    return ResponseEntity.accepted()
        .location(URI.create("/v1/agents/" + agentId + "/kb/documents/" + view.id()))
        .body(view);
  }

  @GetMapping("/documents")
  @Requires(Permission.KB_READ)
  public DocumentList list(
      Caller caller,
      @PathVariable String agentId,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<KbDocumentView> page = kb.list(caller, agentId, cursor, limit);
    return new DocumentList(page.items(), page.nextCursor());
  }

  @GetMapping("/documents/{documentId}")
  @Requires(Permission.KB_READ)
  public KbDocumentView get(Caller caller, @PathVariable String agentId, @PathVariable String documentId) {
    return kb.get(caller, agentId, documentId);
  }

  @DeleteMapping("/documents/{documentId}")
  @Requires(Permission.KB_WRITE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  public KbDocumentView delete(Caller caller, @PathVariable String agentId, @PathVariable String documentId) {
    return kb.delete(caller, agentId, documentId);
  }

  @PostMapping("/documents/{documentId}/reindex")
  @Requires(Permission.KB_WRITE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  public KbDocumentView reindex(Caller caller, @PathVariable String agentId, @PathVariable String documentId) {
    return kb.reindex(caller, agentId, documentId);
  }

  @PostMapping("/reindex")
  @Requires(Permission.KB_WRITE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ReindexAll reindexAll(Caller caller, @PathVariable String agentId) {
    return kb.reindexAll(caller, agentId);
  }
}
