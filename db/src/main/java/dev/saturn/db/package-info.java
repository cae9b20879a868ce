/**
 * Tenant-scoped repositories over the jOOQ classes generated from the Flyway migrations. Every
 * method on tenant data takes a {@link dev.saturn.db.common.CompanyId} first; the test suite's
 * tenant guard fails any statement on a tenant table without a {@code company_id} predicate.
 */
package dev.saturn.db;
