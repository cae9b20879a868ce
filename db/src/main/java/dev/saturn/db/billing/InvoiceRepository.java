package dev.saturn.db.billing;

import static dev.saturn.db.jooq.Tables.INVOICES;
import static dev.saturn.db.jooq.Tables.INVOICE_LINES;
import static dev.saturn.db.jooq.Tables.USAGE_EVENTS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.sum;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import dev.saturn.db.identity.PlanRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Invoices: drafts computed from usage events in the database (GROUP BY, never event by event in
 * memory), and finalization. A draft is a pure function of the company's plan and the events whose
 * billing period it is, so computing it twice gives the same rows; a finalized invoice never
 * changes.
 *
 * <p>Finalizing locks the invoice row first ({@code SELECT ... FOR UPDATE}) and only then reads
 * the events, so under REPEATABLE READ its snapshot is taken after every event transaction that
 * share-locked the row ({@code UsageEventRepository.recordOnce}) has committed. Drafts lock
 * nothing while they compute (a lock on a missing row would be a gap lock, and concurrent first
 * drafts of different companies deadlocked on them in the benchmark).
 */
@Repository
public class InvoiceRepository {

  private static final int DIGEST_FETCH_SIZE = 5000;
  private static final byte NEWLINE = '\n';

  private final DSLContext db;
  private final PlanRepository plans;
  private final Clock clock;

  public InvoiceRepository(DSLContext db, PlanRepository plans, Clock clock) {
    this.db = db;
    this.plans = plans;
    this.clock = clock;
  }

  /** The outcome of computing a draft: the invoice as stored, and whether this computation changed it. */
  public record DraftResult(Invoice invoice, boolean changed) {}

  /** The invoice id of a company's period: the same whenever it is computed. */
  public static String invoiceId(CompanyId company, BillingPeriod period) {
    return UUID.nameUUIDFromBytes(("invoice:" + company.value() + ":" + period).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * Computes the company's draft for the period from its events and stores it (one per company and
   * period); an unchanged draft is not written at all, so it stays the same byte for byte.
   *
   * <p>Takes no lock before computing: a draft is a snapshot, and an event that commits meanwhile
   * shows up at the next recompute. Only the write is guarded: the update applies to a draft only,
   * so a draft computed while the invoice was being finalized is refused, never written over it.
   *
   * @throws InvoiceFinalizedException when the period's invoice is finalized
   */
  @Transactional
  public DraftResult draft(CompanyId company, BillingPeriod period) {
    Optional<Record> existing = db.select(INVOICES.fields())
        .from(INVOICES)
        .where(INVOICES.COMPANY_ID.eq(company.value()).and(INVOICES.PERIOD.eq(period.toString())))
        .fetchOptional()
        .map(r -> (Record) r);
    if (existing.isPresent() && isFinalized(existing.get())) {
      throw new InvoiceFinalizedException(existing.get().get(INVOICES.ID), period.toString());
    }
    return store(company, period, existing, null);
  }

  /**
   * Recomputes the draft and makes it final, in one transaction. The invoice row is locked first
   * ({@code SELECT ... FOR UPDATE}) and the events read after, so the snapshot (REPEATABLE READ)
   * includes every event whose transaction share-locked the row in
   * {@code UsageEventRepository.recordOnce}; events recorded later see the row finalized and are
   * billed in a later period.
   *
   * @return empty when the company has no such invoice
   * @throws InvoiceFinalizedException when it is already finalized
   */
  @Transactional
  public Optional<Invoice> finalizeInvoice(CompanyId company, String invoiceId) {
    Optional<Record> existing = db.select(INVOICES.fields())
        .from(INVOICES)
        .where(INVOICES.COMPANY_ID.eq(company.value()).and(INVOICES.ID.eq(invoiceId)))
        .forUpdate()
        .fetchOptional()
        .map(r -> (Record) r);
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    if (isFinalized(existing.get())) {
      throw new InvoiceFinalizedException(invoiceId, existing.get().get(INVOICES.PERIOD));
    }
    BillingPeriod period = BillingPeriod.of(existing.get().get(INVOICES.PERIOD));
    return Optional.of(store(company, period, existing, Times.now(clock)).invoice());
  }

  public Optional<Invoice> find(CompanyId company, String invoiceId) {
    return db.selectFrom(INVOICES)
        .where(INVOICES.COMPANY_ID.eq(company.value()).and(INVOICES.ID.eq(invoiceId)))
        .fetchOptional()
        .map(r -> toInvoice(r, lines(company, invoiceId)));
  }

  /** The company's invoices, newest period first, without lines. */
  public List<Invoice> list(CompanyId company, String period, InvoiceStatus status, int limit) {
    var condition = INVOICES.COMPANY_ID.eq(company.value());
    if (period != null) {
      condition = condition.and(INVOICES.PERIOD.eq(period));
    }
    if (status != null) {
      condition = condition.and(INVOICES.STATUS.eq(status.dbValue()));
    }
    return db.selectFrom(INVOICES).where(condition).orderBy(INVOICES.PERIOD.desc()).limit(limit)
        .fetch(r -> toInvoice(r, List.of()));
  }

  /** The period's events of the company, summed per kind and model by the database. */
  public List<UsageAggregate> aggregate(CompanyId company, BillingPeriod period) {
    return db.select(
            USAGE_EVENTS.KIND,
            coalesce(USAGE_EVENTS.MODEL, inline("")),
            count(),
            sum(USAGE_EVENTS.INPUT_TOKENS),
            sum(USAGE_EVENTS.OUTPUT_TOKENS),
            sum(USAGE_EVENTS.QUANTITY))
        .from(USAGE_EVENTS)
        .where(USAGE_EVENTS.COMPANY_ID.eq(company.value()).and(USAGE_EVENTS.BILLING_PERIOD.eq(period.toString())))
        .groupBy(USAGE_EVENTS.KIND, USAGE_EVENTS.MODEL)
        .fetch(r -> new UsageAggregate(
            r.value1(), r.value2(), r.value3(), r.value4().longValueExact(), r.value5().longValueExact(),
            r.value6().longValueExact()));
  }

  /**
   * Count and SHA-256 of the ids of the period's events ({@link EventSetDigest}), streamed in id
   * order from {@code ix_usage_events_billing_ids}: an index-only scan that needs no sort, read
   * {@value #DIGEST_FETCH_SIZE} rows at a time straight from the JDBC result set into the hash
   * (constant memory, no record per id).
   */
  public EventSetDigest digest(CompanyId company, BillingPeriod period) {
    MessageDigest sha = sha256();
    long count = 0;
    try (ResultSet ids = db.select(USAGE_EVENTS.ID)
        .from(USAGE_EVENTS)
        .where(USAGE_EVENTS.COMPANY_ID.eq(company.value()).and(USAGE_EVENTS.BILLING_PERIOD.eq(period.toString())))
        .orderBy(USAGE_EVENTS.ID)
        .fetchSize(DIGEST_FETCH_SIZE)
        .fetchResultSet()) {
      while (ids.next()) {
        // The column's bytes in the connection's character set (utf8mb4), i.e. the id's UTF-8.
        sha.update(ids.getBytes(1));
        sha.update(NEWLINE);
        count++;
      }
    } catch (SQLException e) {
      throw new DataAccessException("digest of the usage events of " + company + " for " + period, e);
    }
    return new EventSetDigest(count, HexFormat.of().formatHex(sha.digest()));
  }

  private DraftResult store(CompanyId company, BillingPeriod period, Optional<Record> existing, java.time.Instant finalizedAt) {
    Plan plan = plans.planOf(company).orElseThrow(() -> new IllegalStateException("company without plan: " + company));
    List<InvoiceLine> lines = Pricing.price(plan, aggregate(company, period));
    EventSetDigest digest = digest(company, period);
    long subtotal = Pricing.subtotal(lines);
    long total = Pricing.total(lines);
    String id = existing.map(r -> r.get(INVOICES.ID)).orElseGet(() -> invoiceId(company, period));
    LocalDateTime now = Times.toDb(clock.instant());

    if (existing.isPresent()) {
      Record row = existing.get();
      boolean same = plan.id().equals(row.get(INVOICES.PLAN_ID))
          && plan.currency().equals(row.get(INVOICES.CURRENCY))
          && subtotal == row.get(INVOICES.SUBTOTAL_MINOR)
          && total == row.get(INVOICES.TOTAL_MINOR)
          && digest.count() == row.get(INVOICES.EVENT_COUNT)
          && digest.sha256().equals(row.get(INVOICES.EVENT_DIGEST))
          && lines.equals(lines(company, id));
      if (same && finalizedAt == null) {
        return new DraftResult(find(company, id).orElseThrow(), false);
      }
      var update = db.update(INVOICES)
          .set(INVOICES.PLAN_ID, plan.id())
          .set(INVOICES.CURRENCY, plan.currency())
          .set(INVOICES.SUBTOTAL_MINOR, subtotal)
          .set(INVOICES.TOTAL_MINOR, total)
          .set(INVOICES.EVENT_COUNT, digest.count())
          .set(INVOICES.EVENT_DIGEST, digest.sha256());
      if (!same) {
        update = update.set(INVOICES.UPDATED_AT, now);
      }
      if (finalizedAt != null) {
        update = update.set(INVOICES.STATUS, InvoiceStatus.FINALIZED.dbValue())
            .set(INVOICES.FINALIZED_AT, Times.toDb(finalizedAt));
      }
      int updated = update.where(INVOICES.COMPANY_ID.eq(company.value()).and(INVOICES.ID.eq(id))
          .and(INVOICES.STATUS.eq(InvoiceStatus.DRAFT.dbValue()))).execute();
      if (updated == 0) {
        throw new InvoiceFinalizedException(id, period.toString());
      }
      if (!same) {
        db.deleteFrom(INVOICE_LINES)
            .where(INVOICE_LINES.COMPANY_ID.eq(company.value()).and(INVOICE_LINES.INVOICE_ID.eq(id)))
            .execute();
        insertLines(company, id, lines);
      }
      return new DraftResult(find(company, id).orElseThrow(), !same || finalizedAt != null);
    }

    // A concurrent first draft of the same company and period (the workflow id makes that rare)
    // hits the unique key; the activity's retry then finds the row and compares.
    db.insertInto(INVOICES)
        .set(INVOICES.ID, id)
        .set(INVOICES.COMPANY_ID, company.value())
        .set(INVOICES.PERIOD, period.toString())
        .set(INVOICES.STATUS, InvoiceStatus.DRAFT.dbValue())
        .set(INVOICES.CURRENCY, plan.currency())
        .set(INVOICES.PLAN_ID, plan.id())
        .set(INVOICES.SUBTOTAL_MINOR, subtotal)
        .set(INVOICES.TOTAL_MINOR, total)
        .set(INVOICES.EVENT_COUNT, digest.count())
        .set(INVOICES.EVENT_DIGEST, digest.sha256())
        .set(INVOICES.CREATED_AT, now)
        .set(INVOICES.UPDATED_AT, now)
        .execute();
    insertLines(company, id, lines);
    return new DraftResult(find(company, id).orElseThrow(), true);
  }

  private void insertLines(CompanyId company, String invoiceId, List<InvoiceLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    var insert = db.insertInto(INVOICE_LINES,
        INVOICE_LINES.ID, INVOICE_LINES.COMPANY_ID, INVOICE_LINES.INVOICE_ID, INVOICE_LINES.LINE_NO,
        INVOICE_LINES.KIND, INVOICE_LINES.DESCRIPTION, INVOICE_LINES.MODEL, INVOICE_LINES.UNIT,
        INVOICE_LINES.QUANTITY, INVOICE_LINES.UNIT_PRICE_MINOR, INVOICE_LINES.AMOUNT_MINOR);
    for (InvoiceLine line : lines) {
      String lineId = UUID.nameUUIDFromBytes((invoiceId + ":" + line.lineNo()).getBytes(StandardCharsets.UTF_8)).toString();
      insert = insert.values(lineId, company.value(), invoiceId, line.lineNo(), line.kind(), line.description(),
          line.model(), line.unit(), line.quantity(), line.unitPriceMinor(), line.amountMinor());
    }
    insert.execute();
  }

  private List<InvoiceLine> lines(CompanyId company, String invoiceId) {
    return db.selectFrom(INVOICE_LINES)
        .where(INVOICE_LINES.COMPANY_ID.eq(company.value()).and(INVOICE_LINES.INVOICE_ID.eq(invoiceId)))
        .orderBy(INVOICE_LINES.LINE_NO)
        .fetch(r -> new InvoiceLine(r.getLineNo(), r.getKind(), r.getDescription(), r.getModel(), r.getUnit(),
            r.getQuantity(), r.getUnitPriceMinor(), r.getAmountMinor()));
  }

  private static boolean isFinalized(Record row) {
    return InvoiceStatus.FINALIZED.dbValue().equals(row.get(INVOICES.STATUS));
  }

  private static Invoice toInvoice(Record r, List<InvoiceLine> lines) {
    return new Invoice(
        r.get(INVOICES.ID),
        r.get(INVOICES.COMPANY_ID),
        r.get(INVOICES.PERIOD),
        InvoiceStatus.fromDb(r.get(INVOICES.STATUS)),
        r.get(INVOICES.CURRENCY),
        r.get(INVOICES.PLAN_ID),
        r.get(INVOICES.SUBTOTAL_MINOR),
        r.get(INVOICES.TOTAL_MINOR),
        r.get(INVOICES.EVENT_COUNT),
        r.get(INVOICES.EVENT_DIGEST),
        Times.fromDb(r.get(INVOICES.CREATED_AT)),
        Times.fromDb(r.get(INVOICES.UPDATED_AT)),
        Times.fromDb(r.get(INVOICES.FINALIZED_AT)),
        lines);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
