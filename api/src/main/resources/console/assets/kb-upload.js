// Knowledge base upload: a drop zone over the plain file input (which keyboard and screen-reader users
// use), and a size check before the bytes travel. The server checks both again.
document.addEventListener('DOMContentLoaded', () => {
  const zone = document.querySelector('[data-drop-zone]');
  if (!zone) {
    return;
  }
  const form = zone.closest('form');
  const input = form.querySelector('input[type="file"]');
  const error = document.getElementById('kb-file-error');
  const maxBytes = Number(input.dataset.maxBytes);
  zone.hidden = false;

  const tooLarge = () => {
    const file = input.files && input.files[0];
    if (file && maxBytes > 0 && file.size > maxBytes) {
      error.textContent = 'The file is too large: the limit is ' + maxBytes + ' bytes.';
      input.setAttribute('aria-invalid', 'true');
      return true;
    }
    return false;
  };

  ['dragenter', 'dragover'].forEach((type) => zone.addEventListener(type, (event) => {
    event.preventDefault();
    zone.classList.add('over');
  }));
  ['dragleave', 'drop'].forEach((type) => zone.addEventListener(type, () => zone.classList.remove('over')));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    if (!event.dataTransfer || event.dataTransfer.files.length === 0) {
      return;
    }
    input.files = event.dataTransfer.files;
    if (!tooLarge()) {
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    if (tooLarge()) {
      event.preventDefault();
    }
  });
});
