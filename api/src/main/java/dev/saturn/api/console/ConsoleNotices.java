package dev.saturn.api.console;

import dev.saturn.api.web.ApiException;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Redirect-after-POST for a console action: the page shows the action's notice ({@code role="status"}),
 * or the service's refusal ({@link ApiException}, e.g. the last-owner rule) as its error message. Only
 * these short texts pass through the session (flash attributes), never a secret.
 */
public final class ConsoleNotices {

  private ConsoleNotices() {}

  /** @return the redirect to {@code page} */
  public static String redirectAfter(RedirectAttributes redirect, String page, Supplier<String> action) {
    try {
      redirect.addFlashAttribute("notice", action.get());
    } catch (ApiException refused) {
      redirect.addFlashAttribute("error", refused.detail());
    }
    return "redirect:" + page;
  }

  /** The refusal as the page's error message, and the redirect to {@code page}. */
  public static String redirectRefused(RedirectAttributes redirect, String page, ApiException refused) {
    redirect.addFlashAttribute("error", refused.detail());
    return "redirect:" + page;
  }
}
