package dev.saturn.api.console;

import dev.saturn.db.identity.UserRepository.EmailCompany;
import java.io.Serializable;
import java.util.List;

/**
 * The companies whose user the email and password matched (more than one): the sign-in page asks
 * which, by name. Kept in the session between the failed attempt and the next one.
 */
public record CompanyChoice(String email, List<EmailCompany> companies) implements Serializable {

  public static final String SESSION_ATTRIBUTE = "console.signIn.companyChoice";

  public CompanyChoice {
    companies = List.copyOf(companies);
  }
}
