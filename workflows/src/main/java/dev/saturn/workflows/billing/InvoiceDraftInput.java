package dev.saturn.workflows.billing;

public record InvoiceDraftInput(String companyId, String period) {}
