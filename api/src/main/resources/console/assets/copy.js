// The "Copy" button of a secret shown once: copies the readonly field's value with the Clipboard API.
// Without JavaScript (or the API) the button stays hidden and the field can be selected by hand.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById("copy-status");
  if (!field || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = "Copied.";
    } catch (e) {
      field.select();
      if (status) status.textContent = "Copying was refused; the key is selected, copy it by hand.";
    }
  });
});
