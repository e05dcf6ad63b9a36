// secpool files.js — forms with files (<form data-upload>): refuses a file over the size limit
// before sending it, and sends the form with upload progress (XMLHttpRequest) instead of a
// plain submit. Without JavaScript the same form simply posts; the server checks everything
// again. Loaded with <script src="/static/files.js" defer>; no inline code (strict CSP).
(() => {
  'use strict';

  const nl = () => (document.documentElement.lang || '').toLowerCase().startsWith('nl');
  const TEXT = {
    tooLarge: (name, mb) => (nl()
      ? `${name} is groter dan ${mb} MB. Kies een kleiner bestand.`
      : `${name} is larger than ${mb} MB. Choose a smaller file.`),
    progress: (pct) => (nl() ? `Versturen… ${pct} %` : `Sending… ${pct} %`),
    failed: () => (nl()
      ? 'Versturen is niet gelukt. Controleer je verbinding en probeer het opnieuw.'
      : 'Sending failed. Check your connection and try again.'),
  };

  function say(form, message) {
    let box = form.querySelector('[data-upload-error]');
    if (!box) {
      box = document.createElement('p');
      box.className = 'field-error';
      box.setAttribute('role', 'alert');
      box.dataset.uploadError = '';
      form.querySelector('[data-upload-progress]')?.before(box);
    }
    box.textContent = message;
  }

  function oversized(form) {
    for (const input of form.querySelectorAll('input[type=file][data-max-bytes]')) {
      const max = Number(input.dataset.maxBytes);
      for (const file of input.files || []) {
        if (max && file.size > max) return { file, mb: Math.round(max / 1048576) };
      }
    }
    return null;
  }

  // A page answered in place of a redirect (form errors, the worker's "saved offline" page):
  // show its <main> here, as a navigation would.
  function showPage(html) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const main = doc.querySelector('main');
    if (!main) return false;
    document.querySelector('main')?.replaceWith(main);
    if (doc.title) document.title = doc.title;
    window.htmx?.process(main);
    main.focus?.({ preventScroll: true });
    window.scrollTo(0, 0);
    return true;
  }

  function send(form) {
    const progress = form.querySelector('[data-upload-progress]');
    const bar = progress?.querySelector('progress');
    const label = progress?.querySelector('[role=status]');
    const buttons = form.querySelectorAll('button[type=submit]');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-CSRF-Token', document.body.dataset.csrf || '');
    let shown = -1;
    xhr.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable || !bar) return;
      const pct = Math.floor((event.loaded / event.total) * 100);
      bar.value = pct;
      // A screen reader hears every tenth percent, not every event.
      if (label && Math.floor(pct / 10) !== Math.floor(shown / 10)) label.textContent = TEXT.progress(pct);
      shown = pct;
    });
    xhr.addEventListener('load', () => {
      const moved = xhr.responseURL && new URL(xhr.responseURL).pathname !== new URL(form.action).pathname;
      if (moved) {
        window.location.assign(xhr.responseURL); // the page the server sent us to (with its notice)
      } else if (!showPage(xhr.responseText)) {
        window.location.reload();
      }
    });
    xhr.addEventListener('error', () => finish(TEXT.failed()));
    xhr.addEventListener('abort', () => finish(''));
    function finish(message) {
      if (progress) progress.hidden = true;
      for (const b of buttons) b.disabled = false;
      if (message) say(form, message);
    }
    if (progress) progress.hidden = false;
    for (const b of buttons) b.disabled = true;
    xhr.send(new FormData(form));
  }

  document.addEventListener('submit', (event) => {
    const form = event.target.closest?.('form[data-upload]');
    if (!form || event.defaultPrevented) return;
    const big = oversized(form);
    event.preventDefault();
    if (big) {
      say(form, TEXT.tooLarge(big.file.name, big.mb));
      return;
    }
    form.querySelector('[data-upload-error]')?.remove();
    send(form);
  });

  // A new choice clears an old "too large" message.
  document.addEventListener('change', (event) => {
    if (event.target.matches?.('form[data-upload] input[type=file]')) {
      event.target.form?.querySelector('[data-upload-error]')?.remove();
    }
  });
})();
