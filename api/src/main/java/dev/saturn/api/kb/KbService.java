package dev.saturn.api.kb;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.PayloadTooLargeException;
import dev.saturn.api.web.RequestContext;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Page;
import dev.saturn.db.kb.BlobStore;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.KbDocumentRow;
import dev.saturn.db.kb.KbDocumentStatus;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import dev.saturn.workflows.kb.KbContentTypes;
import dev.saturn.workflows.kb.KbDeleteInput;
import dev.saturn.workflows.kb.KbDeleteWorkflow;
import dev.saturn.workflows.kb.KbIndexInput;
import dev.saturn.workflows.kb.KbIndexingWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.web.multipart.MultipartFile;

/**
 * Uploads, reindexes and deletes documents. The row and the bytes are written before any workflow
 * starts, so if Temporal is unreachable the document stays {@code uploaded} and a reindex starts it;
 * the workflow ids ({@code kb-index:{doc}:{version}}, {@code kb-delete:{doc}}) make a repeated
 * start attach instead of running twice.
 */
@Service
@EnableConfigurationProperties(KbUploadProperties.class)
class KbService {

  private static final Logger log = LoggerFactory.getLogger(KbService.class);
  static final String SCOPE = "kb.upload";

  private final AgentRepository agents;
  private final KbDocumentRepository documents;
  private final BlobStore blobs;
  private final IdempotentRequests idempotent;
  private final WorkflowClient temporal;
  private final KbUploadProperties properties;
  private final Clock clock;

  KbService(AgentRepository agents, KbDocumentRepository documents, BlobStore blobs, IdempotentRequests idempotent,
      WorkflowClient temporal, KbUploadProperties properties, Clock clock) {
    this.agents = agents;
    this.documents = documents;
    this.blobs = blobs;
    this.idempotent = idempotent;
    this.temporal = temporal;
    this.properties = properties;
    this.clock = clock;
  }

  KbDocumentView upload(Caller caller, String agentId, MultipartFile file, String title, String idempotencyKey) {
    CompanyId company = caller.company();
    requireAgent(company, agentId);
    IdempotentRequests.validateKey(idempotencyKey);
    if (file == null || file.isEmpty()) {
      throw ApiException.invalidField("file", "must be a non-empty multipart file part named 'file'");
    }
    if (file.getSize() > properties.maxBytes()) {
      throw new PayloadTooLargeException(properties.maxBytes());
    }
    String fileName = file.getOriginalFilename() == null ? "" : file.getOriginalFilename();
    String contentType = KbContentTypes.ofFileName(fileName)
        .or(() -> KbContentTypes.ofMediaType(file.getContentType()))
        .orElseThrow(() -> ApiException.of(ErrorCode.KB_UNSUPPORTED_TYPE,
            "Supported documents are .txt, .md, .html, .pdf and .docx; got '" + shorten(fileName, 100) + "' ("
                + file.getContentType() + ")"));
    byte[] bytes = bytes(file);
    if (!KbContentTypes.looksLike(contentType, bytes)) {
      throw ApiException.of(ErrorCode.KB_UNSUPPORTED_TYPE, "The file's content is not " + contentType);
    }
    String documentTitle = title != null && !title.isBlank() ? shorten(title.strip(), 500)
        : fileName.isBlank() ? "untitled" : shorten(fileName, 500);
    if (title != null && title.length() > 500) {
      throw ApiException.invalidField("title", "must be at most 500 characters");
    }
    String hash = IdempotentRequests.hash(agentId, documentTitle, contentType, sha256(bytes));
    KbDocumentRow row = idempotent.once(company, SCOPE, idempotencyKey, hash, "kb_document",
        id -> {
          Instant now = clock.instant();
          String ref = blobs.put(company, id, bytes);
          KbDocumentRow created = new KbDocumentRow(id, company.value(), agentId, documentTitle, contentType,
              bytes.length, ref, KbDocumentStatus.UPLOADED, 1, null, null, 0, null, null, null, now, now, null);
          documents.insert(company, created);
          return created;
        },
        id -> documents.find(company, id).orElseThrow(() -> ApiException.notFound("document " + id)));
    startIndexing(row);
    log.info("kb document uploaded: document={} type={} bytes={}", row.id(), contentType, bytes.length);
    return view(company, row.id());
  }

  Page<KbDocumentView> list(Caller caller, String agentId, String cursor, int limit) {
    requireAgent(caller.company(), agentId);
    Page<KbDocumentRow> page = documents.list(caller.company(), agentId, cursor, limit);
    return new Page<>(page.items().stream().map(KbDocumentView::of).toList(), page.nextCursor());
  }

  KbDocumentView get(Caller caller, String agentId, String documentId) {
    requireAgent(caller.company(), agentId);
    return KbDocumentView.of(find(caller.company(), agentId, documentId));
  }

  /** Marks the document deleting (retrieval stops citing it at once) and starts the delete workflow. */
  KbDocumentView delete(Caller caller, String agentId, String documentId) {
    CompanyId company = caller.company();
    requireAgent(company, agentId);
    find(company, agentId, documentId);
    documents.markDeleting(company, documentId);
    KbDeleteWorkflow workflow = temporal.newWorkflowStub(KbDeleteWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.kbDelete(documentId))
        .setTaskQueue(TaskQueues.KB)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(SaturnSearchAttributes.agent(company.value(), agentId))
        .build());
    try {
      WorkflowClient.start(workflow::delete, new KbDeleteInput(company.value(), agentId, documentId));
    } catch (WorkflowExecutionAlreadyStarted alreadyRunning) {
      log.debug("delete of {} already running", documentId);
    } catch (WorkflowServiceException e) {
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "The workflow service is unavailable; retry the delete", e);
    }
    return documents.find(company, agentId, documentId).map(KbDocumentView::of)
        .orElseGet(() -> KbDocumentView.of(withStatus(KbDocumentStatus.DELETING, documentId, company, agentId)));
  }

  KbDocumentView reindex(Caller caller, String agentId, String documentId) {
    CompanyId company = caller.company();
    requireAgent(company, agentId);
    KbDocumentRow row = find(company, agentId, documentId);
    if (KbDocumentStatus.UPLOADED.equals(row.status())) {
      // Never started (Temporal was down at upload): start the same version now.
      startIndexing(row);
      return view(company, documentId);
    }
    documents.newVersion(company, documentId).orElseThrow(() -> ApiException.of(ErrorCode.CONFLICT,
        "Document " + documentId + " is " + row.status() + "; it can be reindexed once it is ready or failed"));
    startIndexing(documents.find(company, documentId).orElseThrow());
    return view(company, documentId);
  }

  /** Reindexes every ready or failed document of the agent; those being indexed or deleted are skipped. */
  KbController.ReindexAll reindexAll(Caller caller, String agentId) {
    CompanyId company = caller.company();
    requireAgent(company, agentId);
    List<KbDocumentView> started = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (KbDocumentRow row : documents.listAll(company, agentId)) {
      boolean restartable = KbDocumentStatus.UPLOADED.equals(row.status());
      Optional<Integer> version = restartable ? Optional.of(row.version()) : documents.newVersion(company, row.id());
      if (version.isEmpty()) {
        skipped.add(row.id());
        continue;
      }
      startIndexing(documents.find(company, row.id()).orElseThrow());
      started.add(view(company, row.id()));
    }
    return new KbController.ReindexAll(started, skipped);
  }

  private void startIndexing(KbDocumentRow row) {
    KbIndexingWorkflow workflow = temporal.newWorkflowStub(KbIndexingWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.kbIndex(row.id(), row.version()))
        .setTaskQueue(TaskQueues.KB)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(SaturnSearchAttributes.agent(row.companyId(), row.agentId()))
        .build());
    try {
      WorkflowClient.start(workflow::index,
          new KbIndexInput(row.companyId(), row.agentId(), row.id(), row.version(), 0));
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      log.debug("indexing of {} v{} already started", row.id(), row.version());
    } catch (WorkflowServiceException e) {
      // The row stays 'uploaded'; POST .../reindex starts it once Temporal is back.
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE,
          "The workflow service is unavailable; the document is stored as uploaded, retry with POST .../reindex", e);
    }
  }

  private KbDocumentView view(CompanyId company, String documentId) {
    return documents.find(company, documentId).map(KbDocumentView::of)
        .orElseThrow(() -> ApiException.notFound("document " + documentId));
  }

  private void requireAgent(CompanyId company, String agentId) {
    agents.find(company, agentId).orElseThrow(() -> ApiException.notFound("agent " + agentId));
    RequestContext.setAgent(agentId);
  }

  private KbDocumentRow find(CompanyId company, String agentId, String documentId) {
    return documents.find(company, agentId, documentId)
        .orElseThrow(() -> ApiException.notFound("document " + documentId));
  }

  private static KbDocumentRow withStatus(String status, String id, CompanyId company, String agentId) {
    Instant now = Instant.now();
    return new KbDocumentRow(id, company.value(), agentId, "", "", 0, "", status, 0, null, null, 0, null, null, null,
        now, now, null);
  }

  private static byte[] bytes(MultipartFile file) {
    try {
      return file.getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
