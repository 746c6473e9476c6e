/*
 * tideline.js: Tideline's browser tracking snippet. See docs/tracking.md.
 * Hand-written ES2017 without a build step; it must stay under 5 KB gzipped
 * (tests/snippet-size.test.ts) and must never throw into the page that loads it.
 */
/* ES2017 has no `catch {}` without a binding, so unused catch bindings are expected here. */
/* eslint @typescript-eslint/no-unused-vars: ["warn", { "caughtErrors": "none" }] */
(() => {
  "use strict";

  const version = "1.0.0";
  const stub = window.tideline;
  // A second copy (the snippet pasted twice) leaves the first one in charge.
  if (stub && stub.loaded) return;

  const aidKey = "tl_aid";
  const uidKey = "tl_uid";
  const campaignKey = "tl_campaign";
  const yearSeconds = 365 * 24 * 60 * 60;
  const flushAt = 10;
  const flushAfterMs = 1000;
  const maxCallBytes = 32 * 1024; // the API refuses bigger calls
  const maxBodyBytes = 60 * 1024; // sendBeacon and keepalive fetch carry at most 64 KB
  const utm = { source: "utm_source", medium: "utm_medium", name: "utm_campaign", term: "utm_term", content: "utm_content" };

  // Without a `host` option, calls go to the server this file came from.
  const script = document.currentScript;
  const config = { writeKey: "", host: script && /^https?:/.test(script.src) ? new URL(script.src).origin : "", page: true, cookieDomain: "" };
  let anonymousId = "";
  let userId = "";
  let pageUrl = location.href;
  let referrer = document.referrer;
  let queue = []; // serialized calls: { json, bytes, attempts }
  let pending = []; // calls made before load()
  let timer = 0;

  function warn(...args) {
    try {
      console.warn("[tideline]", ...args);
    } catch (e) {
      // no console
    }
  }

  // Every way in from the host page goes through here: an error is logged, never thrown.
  function safe(fn) {
    return function (...args) {
      try {
        return fn.apply(this, args);
      } catch (error) {
        warn(error);
      }
    };
  }

  function storage(area) {
    return {
      get(name) {
        try {
          return window[area].getItem(name) || "";
        } catch (e) {
          return ""; // storage blocked (privacy settings, sandboxed frame)
        }
      },
      set(name, value) {
        try {
          if (value) window[area].setItem(name, value);
          else window[area].removeItem(name);
        } catch (e) {
          // storage blocked or full
        }
      },
    };
  }
  const local = storage("localStorage");
  const session = storage("sessionStorage");

  function readCookie(name) {
    try {
      const match = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
      return match ? decodeURIComponent(match[1]) : "";
    } catch (e) {
      return "";
    }
  }

  function writeCookie(name, value) {
    try {
      let cookie = `${name}=${encodeURIComponent(value)}; Max-Age=${value ? yearSeconds : 0}; Path=/; SameSite=Lax`;
      if (config.cookieDomain) cookie += `; Domain=${config.cookieDomain}`;
      if (location.protocol === "https:") cookie += "; Secure";
      document.cookie = cookie;
    } catch (e) {
      // cookies blocked
    }
  }

  // A first-party cookie, with localStorage as the fallback when cookies are cleared or blocked.
  const recall = (name) => readCookie(name) || local.get(name);
  function remember(name, value) {
    writeCookie(name, value);
    local.set(name, value);
  }

  function uuid() {
    const crypto = window.crypto;
    if (crypto && crypto.randomUUID) return crypto.randomUUID();
    // randomUUID needs a secure context; plain-http sites get a v4 UUID built by hand.
    const bytes = new Uint8Array(16);
    if (crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else for (let i = 0; i < 16; i++) bytes[i] = Math.random() * 256;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => (byte + 256).toString(16).slice(1)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // The landing URL's UTM parameters describe the whole visit, so they are kept for the session.
  function campaign() {
    const params = new URLSearchParams(location.search);
    const found = {};
    for (const key of Object.keys(utm)) {
      const value = params.get(utm[key]);
      if (value) found[key] = value;
    }
    if (Object.keys(found).length > 0) {
      session.set(campaignKey, JSON.stringify(found));
      return found;
    }
    try {
      return JSON.parse(session.get(campaignKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function pageInfo() {
    return { path: location.pathname, referrer, search: location.search, title: document.title, url: location.href };
  }

  function context() {
    const result = {
      page: pageInfo(),
      userAgent: navigator.userAgent,
      locale: navigator.language,
      screen: { width: screen.width, height: screen.height, density: window.devicePixelRatio },
      library: { name: "tideline.js", version },
    };
    try {
      result.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) {
      // no Intl
    }
    const utmCampaign = campaign();
    if (utmCampaign) result.campaign = utmCampaign;
    return result;
  }

  // Calls are serialized when made, so each keeps the identity and page it was made with,
  // and one that cannot be sent (a cycle in its properties, too large) is dropped alone.
  function enqueue(type, fields) {
    const call = Object.assign({ type, messageId: uuid(), timestamp: new Date().toISOString(), anonymousId, context: context() }, fields);
    if (userId) call.userId = userId;
    let json;
    try {
      json = JSON.stringify(call);
    } catch (error) {
      return warn(`${type} call dropped:`, error);
    }
    const bytes = new TextEncoder().encode(json).length;
    if (bytes > maxCallBytes) return warn(`${type} call dropped: larger than 32 KB`);
    queue.push({ json, bytes, attempts: 0 });
    if (queue.length >= flushAt) flush();
    else if (!timer) timer = setTimeout(flush, flushAfterMs);
  }

  function take() {
    const batch = [];
    let bytes = 0;
    while (queue.length > 0 && (batch.length === 0 || bytes + queue[0].bytes < maxBodyBytes)) {
      const item = queue.shift();
      bytes += item.bytes;
      batch.push(item);
    }
    return batch;
  }

  const endpoint = () => `${config.host}/api/v1/batch`;
  const body = (batch) =>
    `{"writeKey":${JSON.stringify(config.writeKey)},"sentAt":"${new Date().toISOString()}","batch":[${batch.map((item) => item.json).join(",")}]}`;

  function post(batch) {
    // text/plain keeps this a simple CORS request: no preflight, and keepalive works with it.
    fetch(endpoint(), {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: body(batch),
      keepalive: true,
      credentials: "omit",
    })
      .then((response) => {
        if (response.ok) return;
        if (response.status >= 500 || response.status === 429) throw new Error(`HTTP ${response.status}`);
        // Refused calls would be refused again: say why and drop them.
        return response.json().then(
          (reply) => warn(reply.error ? reply.error.message : reply),
          () => warn(`HTTP ${response.status}`),
        );
      })
      .catch(safe(() => retry(batch)));
  }

  // Network errors and server trouble are retried with backoff; messageId makes a repeat harmless.
  function retry(batch) {
    const again = batch.filter((item) => ++item.attempts <= 3);
    if (again.length < batch.length) warn("calls dropped after 3 failed attempts");
    if (again.length === 0) return;
    queue = again.concat(queue);
    clearTimeout(timer);
    timer = setTimeout(flush, 1000 * 2 ** again[0].attempts);
  }

  const flush = safe(() => {
    clearTimeout(timer);
    timer = 0;
    while (queue.length > 0) post(take());
  });

  // The page is going away (or may be discarded while hidden): hand what is left to the browser.
  const beacon = safe(() => {
    clearTimeout(timer);
    timer = 0;
    while (queue.length > 0) {
      const batch = take();
      let sent = false;
      try {
        sent = navigator.sendBeacon(endpoint(), new Blob([body(batch)], { type: "text/plain" }));
      } catch (e) {
        // no sendBeacon
      }
      if (!sent) post(batch);
    }
  });

  // Single-page apps change the URL without loading a page; each new path or query is a page view.
  const navigated = safe(() => {
    const withoutHash = (url) => url.split("#")[0];
    if (withoutHash(location.href) === withoutHash(pageUrl)) return;
    referrer = pageUrl;
    pageUrl = location.href;
    methods.page();
  });

  function watchNavigation() {
    for (const name of ["pushState", "replaceState"]) {
      const original = history[name];
      history[name] = function (...args) {
        const result = original.apply(this, args);
        setTimeout(navigated, 0); // after the app had a moment to set the new title
        return result;
      };
    }
    addEventListener("popstate", () => setTimeout(navigated, 0));
  }

  const methods = {
    load(writeKey, options) {
      if (config.writeKey) return warn("load() was already called");
      if (!writeKey) return warn("load() needs the write key");
      options = options || {};
      if (options.host) config.host = String(options.host).replace(/\/+$/, "");
      if (!config.host) return warn("load() needs { host: \"https://your-tideline\" }");
      config.writeKey = String(writeKey);
      config.cookieDomain = options.cookieDomain || "";
      config.page = options.page !== false;
      anonymousId = recall(aidKey) || uuid();
      userId = recall(uidKey);
      remember(aidKey, anonymousId); // also renews the cookie's year
      if (userId) remember(uidKey, userId);
      addEventListener("pagehide", beacon);
      document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && beacon());
      if (config.page) {
        watchNavigation();
        methods.page();
      }
      const waiting = pending;
      pending = [];
      for (const [name, args] of waiting) call(name, args);
    },

    identify(id, traits) {
      if (id && typeof id === "object") [id, traits] = [undefined, id];
      if (id !== undefined && id !== null && id !== "") {
        userId = String(id);
        remember(uidKey, userId);
      }
      enqueue("identify", { traits: Object.assign({}, traits) });
    },

    track(event, properties) {
      if (!event) return warn("track() needs an event name");
      enqueue("track", { event: String(event), properties: Object.assign({}, properties) });
    },

    page(name, properties) {
      if (name && typeof name === "object") [name, properties] = [undefined, name];
      const fields = { properties: Object.assign(pageInfo(), properties) };
      if (name) fields.name = String(name);
      enqueue("page", fields);
    },

    // Someone else uses this browser now (sign-out): forget the user and start a new visitor.
    reset() {
      userId = "";
      remember(uidKey, "");
      anonymousId = uuid();
      remember(aidKey, anonymousId);
    },
  };

  function call(name, args) {
    if (!Object.prototype.hasOwnProperty.call(methods, name)) return warn(`tideline.${name} is not a method`);
    if (name !== "load" && !config.writeKey) return void pending.push([name, args]);
    methods[name](...args);
  }

  const api = { loaded: true, version, push: safe((item) => call(item[0], Array.prototype.slice.call(item, 1))) };
  for (const name of Object.keys(methods)) api[name] = safe((...args) => call(name, args));
  window.tideline = api;
  // Replay what the loader stub queued while this file was on its way.
  if (Array.isArray(stub)) stub.forEach((item) => api.push(item));
})();
