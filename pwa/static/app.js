// secpool app.js — progressive enhancement for the server-rendered pages: registers the
// service worker, drives the install and push controls, reports the offline queue in
// #live-status, filters lists and renders relative times. Loaded with
// <script src="/static/app.js" defer>; no inline handlers (strict CSP); every page
// also works without it. Controls are found by data-attributes, so content swapped in by
// htmx (hx-boost, SSE) is handled through event delegation and `htmx:load`.
(() => {
  'use strict';

  const sw = navigator.serviceWorker;
  const lang = () => document.documentElement.lang || navigator.language || 'en';

  const TEXT = {
    en: {
      queued: 'Saved offline: your request will be sent when you are back online.',
      sent: 'Your saved request has been sent.',
      sendFailed: 'A saved request was refused. Please open it and submit it again.',
      offline: 'No connection. Try again when you are back online.',
      pushOn: 'Notifications are on.',
      pushOff: 'Notifications are off.',
      pushBlocked: 'Notifications are blocked in your browser settings.',
      pushFailed: 'Could not change notifications. Please try again.',
      results: (n) => (n === 1 ? '1 result' : `${n} results`),
    },
    nl: {
      queued: 'Offline bewaard: je aanvraag wordt verstuurd zodra je weer online bent.',
      sent: 'Je bewaarde aanvraag is verstuurd.',
      sendFailed: 'Een bewaarde aanvraag is geweigerd. Open hem en verstuur hem opnieuw.',
      offline: 'Geen verbinding. Probeer het opnieuw als je weer online bent.',
      pushOn: 'Meldingen staan aan.',
      pushOff: 'Meldingen staan uit.',
      pushBlocked: 'Meldingen zijn geblokkeerd in je browserinstellingen.',
      pushFailed: 'Meldingen aanpassen is niet gelukt. Probeer het opnieuw.',
      results: (n) => (n === 1 ? '1 resultaat' : `${n} resultaten`),
    },
  };
  const t = (key, ...args) => {
    const entry = (lang().toLowerCase().startsWith('nl') ? TEXT.nl : TEXT.en)[key];
    return typeof entry === 'function' ? entry(...args) : entry;
  };

  // Root itself plus its descendants: htmx:load hands us the swapped element.
  const within = (root, selector) => [
    ...(root.matches?.(selector) ? [root] : []),
    ...(root.querySelectorAll?.(selector) ?? []),
  ];
  const setHidden = (selector, hidden) => {
    for (const el of document.querySelectorAll(selector)) el.hidden = hidden;
  };

  // ---- #live-status: one toast at a time, so a screen reader hears the latest ----
  let toastTimer;
  function announce(message, kind = 'info', ms = 8000) {
    const region = document.getElementById('live-status');
    if (!region) return;
    const banner = document.createElement('p');
    banner.className = `banner banner--${kind}`;
    banner.textContent = message;
    region.replaceChildren(banner);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => banner.remove(), ms);
  }
  // A tap dismisses a toast: on a phone it can cover the form's buttons.
  document.addEventListener('click', (event) => event.target.closest?.('#live-status .banner')?.remove());

  // ---- Service worker and its offline queue ----
  const flushOutbox = () => sw.ready.then((reg) => reg.active?.postMessage({ type: 'flush' }));
  if (sw) {
    sw.register('/sw.js', { scope: '/' }).catch((err) => console.warn('secpool: no service worker', err));
    sw.addEventListener('message', (event) => {
      const { type, status } = event.data || {};
      if (type === 'queued') announce(t('queued'), 'warn', 12000);
      // status is the server's answer to the replay (0 = it redirected, i.e. accepted)
      if (type === 'sent') announce(t(status >= 400 ? 'sendFailed' : 'sent'), status >= 400 ? 'error' : 'ok');
    });
    // Browsers without Background Sync (Safari, Firefox) only flush when asked.
    window.addEventListener('online', flushOutbox);
    if (navigator.onLine) flushOutbox();
  }
  document.addEventListener('htmx:sendError', () => announce(t('offline'), 'warn'));
  // The server names what changed (HX-Trigger: {"secpool:announce": {message, kind}}), for
  // example when a live part of the page was refreshed because a request moved on.
  document.addEventListener('secpool:announce', (event) => {
    const { message, kind } = event.detail || {};
    if (message) announce(message, kind || 'info');
  });

  // A notice (?notice=...) belongs to the moment after a form: a reload must not repeat it.
  function dropNotice() {
    const url = new URL(location.href);
    if (!url.searchParams.has('notice')) return;
    url.searchParams.delete('notice');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  document.addEventListener('htmx:pushedIntoHistory', dropNotice);

  // A live part ([data-live], refreshed on SSE signals) must not replace itself while a form
  // is being sent: the person's click would land on a node that is gone, or its answer be lost.
  // Counted on the XHR itself: a boosted form is gone from the page (its events reach no
  // listener) by the time its request ends.
  let sending = 0;
  const isLive = (event) => !!event.detail.elt?.matches?.('[data-live]');
  document.addEventListener('htmx:beforeRequest', (event) => {
    if (event.detail.elt?.tagName === 'FORM') {
      sending += 1;
      event.detail.xhr?.addEventListener('loadend', () => { sending = Math.max(0, sending - 1); }, { once: true });
    } else if (sending && isLive(event)) {
      event.preventDefault();
    }
  });
  document.addEventListener('htmx:beforeSwap', (event) => {
    if (sending && isLive(event)) event.detail.shouldSwap = false;
  });

  // After a boosted page change, start reading at the new page's content (as a full load
  // would), not at the link that was clicked and is gone now.
  document.addEventListener('htmx:afterSettle', (event) => {
    if (!event.detail.boosted || event.detail.target !== document.body) return;
    document.getElementById('main')?.focus({ preventScroll: true });
  });

  // ---- Install and push controls: state lives here, the DOM only mirrors it ----
  let installPrompt = null;
  const push = { ready: false, subscribed: false };
  const standalone = () => matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;
  // iPadOS presents itself as a Mac; touch points give it away.
  const isIos = () => /iPad|iPhone|iPod/.test(navigator.userAgent) ||
    (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
  const canPush = () => 'PushManager' in window && 'Notification' in window && !!sw;

  function renderControls() {
    const denied = canPush() && Notification.permission === 'denied';
    const pushUsable = push.ready && !!document.body.dataset.vapidKey && !denied;
    setHidden('[data-install]', !installPrompt || standalone());
    setHidden('[data-ios-install-help]', !isIos() || standalone());
    setHidden('[data-push-enable]', !pushUsable || push.subscribed);
    setHidden('[data-push-disable]', !pushUsable || !push.subscribed);
    setHidden('[data-push-blocked]', !denied);
  }

  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault(); // no mini-infobar: our [data-install] button offers it instead
    installPrompt = event;
    renderControls();
  });
  window.addEventListener('appinstalled', () => {
    installPrompt = null;
    renderControls();
  });

  async function install() {
    if (!installPrompt) return;
    const prompt = installPrompt;
    installPrompt = null; // a prompt event can be used only once
    await prompt.prompt();
    await prompt.userChoice;
  }

  const base64UrlToBytes = (text) => {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  };
  const sameBytes = (buffer, bytes) =>
    !!buffer && buffer.byteLength === bytes.length && new Uint8Array(buffer).every((b, i) => b === bytes[i]);

  async function sendSubscription(method, body) {
    const response = await fetch('/push/subscriptions', {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': document.body.dataset.csrf || '' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} /push/subscriptions: ${response.status}`);
  }

  // The server learns (again) about this browser's subscription once per tab session:
  // this heals a subscription the browser rotated or the server dropped.
  const SYNCED = 'secpool.push.endpoint';
  async function loadPushState() {
    if (!canPush()) return renderControls();
    const reg = await sw.ready;
    const subscription = await reg.pushManager.getSubscription();
    push.ready = true;
    push.subscribed = !!subscription && Notification.permission === 'granted';
    renderControls();
    if (push.subscribed && document.body.dataset.csrf && sessionStorage.getItem(SYNCED) !== subscription.endpoint) {
      sendSubscription('POST', subscription.toJSON())
        .then(() => sessionStorage.setItem(SYNCED, subscription.endpoint))
        .catch((err) => console.warn('secpool: push subscription not synced', err));
    }
  }

  async function enablePush() {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return announce(t(permission === 'denied' ? 'pushBlocked' : 'pushFailed'), 'warn');
    const reg = await sw.ready;
    const key = base64UrlToBytes(document.body.dataset.vapidKey);
    let subscription = await reg.pushManager.getSubscription();
    // One made with an older VAPID key cannot be reused (subscribe() would throw).
    if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    await sendSubscription('POST', subscription.toJSON());
    sessionStorage.setItem(SYNCED, subscription.endpoint);
    push.subscribed = true;
    announce(t('pushOn'), 'ok');
  }

  async function disablePush() {
    const reg = await sw.ready;
    const subscription = await reg.pushManager.getSubscription();
    if (subscription) {
      // Server first: if that fails nothing has changed and the user can simply retry.
      await sendSubscription('DELETE', { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    sessionStorage.removeItem(SYNCED);
    push.subscribed = false;
    announce(t('pushOff'), 'ok');
  }

  const ACTIONS = { '[data-install]': install, '[data-push-enable]': enablePush, '[data-push-disable]': disablePush };
  document.addEventListener('click', async (event) => {
    for (const [selector, action] of Object.entries(ACTIONS)) {
      const control = event.target.closest?.(selector);
      if (!control) continue;
      event.preventDefault();
      if (control.getAttribute('aria-busy') === 'true') return;
      control.setAttribute('aria-busy', 'true');
      try {
        await action();
      } catch (err) {
        console.warn('secpool:', err);
        if (selector !== '[data-install]') announce(t('pushFailed'), 'error');
      } finally {
        control.removeAttribute('aria-busy');
        renderControls();
      }
      return;
    }
  });

  // ---- <input data-filter-list="#list-id">: filters that list's <li> items ----
  const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

  function initFilters(root) {
    for (const input of within(root, 'input[data-filter-list]')) {
      if (input.dataset.filterReady) continue;
      input.dataset.filterReady = '1';
      const list = document.querySelector(input.dataset.filterList);
      if (list?.id) input.setAttribute('aria-controls', list.id);
      // The live region must exist before it changes, or it is not announced.
      const count = document.createElement('p');
      count.className = 'filter-count';
      count.setAttribute('role', 'status');
      input.after(count);
      input._filterCount = count;
    }
  }

  let countTimer;
  function filterList(input) {
    const list = document.querySelector(input.dataset.filterList);
    if (!list) return;
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of list.querySelectorAll(':scope > li')) {
      const text = fold(item.textContent);
      item.hidden = !words.every((word) => text.includes(word));
      if (!item.hidden) shown += 1;
    }
    // Announce the count once typing pauses, not on every keystroke.
    clearTimeout(countTimer);
    countTimer = setTimeout(() => {
      if (input._filterCount) input._filterCount.textContent = words.length ? t('results', shown) : '';
    }, 400);
  }

  document.addEventListener('input', (event) => {
    if (event.target.matches?.('input[data-filter-list]')) filterList(event.target);
  });
  document.addEventListener('keydown', (event) => {
    // Enter in a filter box must not submit the surrounding form.
    if (event.key === 'Enter' && event.target.matches?.('input[data-filter-list]')) event.preventDefault();
  });

  // ---- <time data-relative datetime="ISO">: "5 minutes ago" / "5 minuten geleden" ----
  const UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
  const formatters = new Map();
  function relativeFormat() {
    const locale = lang();
    if (!formatters.has(locale)) {
      let rtf;
      try {
        rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      } catch {
        rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' }); // malformed lang attribute
      }
      formatters.set(locale, rtf);
    }
    return formatters.get(locale);
  }

  // English as written in a Dutch organisation, like the server's (pwa/i18n.py): a 24-hour clock.
  const CLOCK_LOCALES = { en: 'en-GB', nl: 'nl-NL' };
  function exactMoment(date, language) {
    const locale = CLOCK_LOCALES[language] || language;
    const options = { dateStyle: 'medium', timeStyle: 'short' };
    try {
      return date.toLocaleString(locale, { ...options, timeZone: document.body.dataset.timezone || undefined });
    } catch {
      return date.toLocaleString(locale, options); // a time zone this browser does not know
    }
  }

  function renderTimes(root = document) {
    const rtf = relativeFormat();
    for (const el of within(root, 'time[data-relative]')) {
      const date = new Date(el.getAttribute('datetime'));
      if (Number.isNaN(date.getTime())) continue;
      // Keep the exact moment available on hover, on the pool's clock (the page names its time
      // zone) like every time the server writes, not on the device's.
      if (!el.title) el.title = exactMoment(date, rtf.resolvedOptions().locale);
      const seconds = (date.getTime() - Date.now()) / 1000;
      const unit = UNITS.find(([, size]) => Math.abs(seconds) >= size);
      el.textContent = unit ? rtf.format(Math.round(seconds / unit[1]), unit[0]) : rtf.format(0, 'second'); // "now"/"nu"
    }
  }
  setInterval(renderTimes, 60_000);

  // ---- Start, and again for everything htmx swaps in ----
  function enhance(root) {
    renderTimes(root);
    initFilters(root);
    renderControls();
  }
  document.addEventListener('htmx:load', (event) => enhance(event.detail.elt));
  enhance(document.body);
  dropNotice();
  loadPushState().catch((err) => console.warn('secpool: push state unknown', err));
})();
