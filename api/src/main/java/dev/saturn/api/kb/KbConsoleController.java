package dev.saturn.api.kb;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.KbDocumentRow;
import dev.saturn.db.kb.KbDocumentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's Knowledge base page: the company's documents of every agent, an upload form (a drop
 * zone on top of a plain file input) and reindex/delete, all through {@link KbService}, the path of
 * {@code /v1/agents/{id}/kb/documents}: the same validation, size limit, content types, idempotency.
 * A row that is still moving polls its own fragment every second and stops once it is ready or failed.
 */
@ConsoleController
class KbConsoleController {

  static final String PATH = ConsoleController.ROOT + "/knowledge-base";
  private static final int AGENTS = 200;
  /** A row stops polling after this many polls (ten minutes); a reload starts again. */
  static final int MAX_POLLS = 600;

  /** One row of the table. */
  record DocumentItem(String id, String title, String agentId, String agentName, String status, int chunksDone,
      Integer chunksTotal, long sizeBytes, Instant uploadedAt, String error) {

    public boolean settled() {
      return KbDocumentStatus.READY.equals(status) || KbDocumentStatus.FAILED.equals(status);
    }

    public String size() {
      return sizeBytes < 1024 ? sizeBytes + " B"
          : sizeBytes < 1024 * 1024 ? String.format("%.1f KB", sizeBytes / 1024.0)
          : String.format("%.1f MB", sizeBytes / (1024.0 * 1024.0));
    }
  }

  private final KbService kb;
  private final AgentRepository agents;
  private final KbDocumentRepository documents;
  private final KbUploadProperties upload;

  KbConsoleController(KbService kb, AgentRepository agents, KbDocumentRepository documents, KbUploadProperties upload) {
    this.kb = kb;
    this.agents = agents;
    this.documents = documents;
    this.upload = upload;
  }

  @GetMapping(PATH)
  @Requires(Permission.KB_READ)
  String list(Caller caller, @RequestParam(required = false) String done, Model model) {
    return page(caller, model, done, null, null);
  }

  /** One row, for htmx polling; an empty answer (the document is gone) removes the row. */
  @GetMapping(PATH + "/documents/{documentId}/row")
  @Requires(Permission.KB_READ)
  String row(Caller caller, @PathVariable String documentId, @RequestParam(defaultValue = "0") int poll, Model model) {
    KbDocumentRow row = documents.find(caller.company(), documentId).orElse(null);
    if (row == null) {
      return "console/kb :: gone";
    }
    String agentName = agents.find(caller.company(), row.agentId()).map(AgentRow::name).orElse(row.agentId());
    model.addAttribute("document", item(row, agentName));
    model.addAttribute("canWrite", caller.can(Permission.KB_WRITE));
    model.addAttribute("poll", Math.max(0, poll) + 1);
    model.addAttribute("maxPolls", MAX_POLLS);
    return "console/kb :: row";
  }

  @PostMapping(PATH)
  @Requires(Permission.KB_WRITE)
  String upload(
      Caller caller,
      @RequestParam(defaultValue = "") String agentId,
      @RequestParam(name = "file", required = false) MultipartFile file,
      @RequestParam(defaultValue = "") String title,
      @RequestParam(defaultValue = "") String idempotencyKey,
      Model model) {
    if (agentId.isBlank()) {
      return page(caller, model, null, "Choose the agent whose knowledge base gets the document.", agentId);
    }
    try {
      KbDocumentView view = kb.upload(caller, agentId, file, title.isBlank() ? null : title,
          idempotencyKey.isBlank() ? null : idempotencyKey);
      return "redirect:" + PATH + "?done=uploaded#document-" + view.id();
    } catch (ApiException refused) {
      return page(caller, model, null, uploadError(refused), agentId);
    }
  }

  @PostMapping(PATH + "/documents/{documentId}/reindex")
  @Requires(Permission.KB_WRITE)
  String reindex(Caller caller, @PathVariable String documentId, RedirectAttributes redirect) {
    KbDocumentRow row = owned(caller, documentId);
    try {
      kb.reindex(caller, row.agentId(), documentId);
      return "redirect:" + PATH + "?done=reindexing#document-" + documentId;
    } catch (ApiException refused) {
      redirect.addFlashAttribute("problem", refused.detail());
      return "redirect:" + PATH;
    }
  }

  /** The confirmation step of a delete: a page, so it works without JavaScript. */
  @GetMapping(PATH + "/documents/{documentId}/delete")
  @Requires(Permission.KB_WRITE)
  String confirmDelete(Caller caller, @PathVariable String documentId, Model model) {
    KbDocumentRow row = owned(caller, documentId);
    model.addAttribute("document", item(row, agents.find(caller.company(), row.agentId()).map(AgentRow::name).orElse("")));
    return "console/kb-delete";
  }

  @PostMapping(PATH + "/documents/{documentId}/delete")
  @Requires(Permission.KB_WRITE)
  String delete(Caller caller, @PathVariable String documentId, RedirectAttributes redirect) {
    KbDocumentRow row = owned(caller, documentId);
    try {
      kb.delete(caller, row.agentId(), documentId);
      return "redirect:" + PATH + "?done=deleting";
    } catch (ApiException refused) {
      redirect.addFlashAttribute("problem", refused.detail());
      return "redirect:" + PATH;
    }
  }

  private String page(Caller caller, Model model, String done, String uploadError, String chosenAgent) {
    List<AgentRow> companyAgents = agents.list(caller.company(), null, AGENTS).items();
    List<DocumentItem> items = new ArrayList<>();
    for (AgentRow agent : companyAgents) {
      documents.listAll(caller.company(), agent.id()).forEach(row -> items.add(item(row, agent.name())));
    }
    items.sort(Comparator.comparing(DocumentItem::uploadedAt).reversed().thenComparing(DocumentItem::id));
    model.addAttribute("documents", items);
    model.addAttribute("agents", companyAgents);
    model.addAttribute("chosenAgent", chosenAgent);
    model.addAttribute("canWrite", caller.can(Permission.KB_WRITE));
    model.addAttribute("done", notice(done));
    model.addAttribute("uploadError", uploadError);
    model.addAttribute("maxBytes", upload.maxBytes());
    model.addAttribute("idempotencyKey", UUID.randomUUID().toString());
    model.addAttribute("poll", 1);
    model.addAttribute("maxPolls", MAX_POLLS);
    return "console/kb";
  }

  private KbDocumentRow owned(Caller caller, String documentId) {
    return documents.find(caller.company(), documentId)
        .orElseThrow(() -> ApiException.notFound("document " + documentId));
  }

  private static DocumentItem item(KbDocumentRow row, String agentName) {
    return new DocumentItem(row.id(), row.title(), row.agentId(), agentName, row.status(), row.chunksDone(),
        row.chunksTotal(), row.sizeBytes(), row.createdAt(), row.error());
  }

  private static final Map<String, String> NOTICES = Map.of(
      "uploaded", "Document uploaded; indexing has started.",
      "reindexing", "Reindexing started.",
      "deleting", "The document is being deleted.");

  private static String notice(String done) {
    return done == null ? null : NOTICES.get(done);
  }

  /** The refusal in words for the person at the form (the API's problem detail, which names the limit or type). */
  private String uploadError(ApiException refused) {
    return switch (refused.code()) {
      case PAYLOAD_TOO_LARGE -> "The file is too large: the limit is " + upload.maxBytes() + " bytes.";
      case KB_UNSUPPORTED_TYPE -> refused.detail();
      case NOT_FOUND -> "That agent does not exist.";
      default -> refused.fieldErrors().stream().anyMatch(f -> f.field().equals("file"))
          ? "Choose a file to upload; it must not be empty." : refused.detail();
    };
  }
}
