package dev.saturn.workflows.billing;

import java.util.List;

public record CompanyPage(List<String> companyIds) {}
