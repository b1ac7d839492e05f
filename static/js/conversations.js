// Conversation drafts: every change is sent over HTMX; nothing typed is ever lost.
//
// - Each autosaved field ([data-autosave]) posts itself (hx-trigger "input changed delay").
//   Before it is sent, what was typed is kept in localStorage under
//   "assetmap:conversation:<id>:<field>" as {value, base}; it is removed only once the
//   server has saved exactly that text.
// - A failed send (no connection, server error) keeps it and retries: on the "online"
//   event and on a timer (3 s, doubling up to 30 s).
// - Quick-add forms ([data-queue]) that fail are queued under ".../add:<token>" and resent
//   with fetch; their client_token makes a resend harmless.
// - Reloading the page re-applies unsent text and resends the queue.
// - A 409 answer shows both texts (theirs and yours); the builder chooses.
// - Text longer than its field's limit (data-limit, else maxlength) is not sent: the field
//   says how long it is and what is allowed, and the text stays in the box and on this
//   device. A 400 or 413 answer (a request too large for the server or a proxy) says the same.
// - A quick addition the server refuses for good (409: finished on another device; 403; 404;
//   any other 4xx but 422) is never dropped: it is kept under ".../refused:<token>" and shown
//   in its section with its words and why, until the builder removes the note.
// - When this device cannot store anything (full, or switched off), what is not yet sent is
//   kept by the page only, and the status says so: closing the page would lose it.
// - A logged conversation's page forgets what this device kept for it, except what never
//   reached the server (finished elsewhere first): that is shown there to copy.
// No inline handlers (strict CSP): everything is wired here.
(function () {
  "use strict";

  var root, prefix, statusEl;
  var inFlight = 0;
  var offline = false;
  var signedOut = false;
  var retryTimer = null;
  var retryDelay = 3000;
  var flushing = false;

  // ------------------------------------------------------------------ storage
  // What localStorage refused (full, or blocked as in some private windows), by key: kept
  // here for as long as the page is open, and the status tells the builder.
  var unkept = Object.create(null);

  function read(key) {
    if (key in unkept) return unkept[key];
    try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
  }
  function write(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
      delete unkept[key];
    } catch (e) {
      unkept[key] = value; // full or blocked
    }
  }
  function drop(key) {
    delete unkept[key];
    try { window.localStorage.removeItem(key); } catch (e) { /* blocked */ }
  }
  function keys(start) {
    var found = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(start) === 0) found.push(k);
      }
    } catch (e) { /* blocked */ }
    Object.keys(unkept).forEach(function (k) {
      if (k.indexOf(start) === 0 && found.indexOf(k) === -1) found.push(k);
    });
    return found;
  }
  function anyUnkept() { return Object.keys(unkept).length > 0; }
  function fieldKey(name) { return prefix + name; }
  function byTime(found) {
    return found.sort(function (a, b) { return ((read(a) || {}).at || 0) - ((read(b) || {}).at || 0); });
  }
  function queueKeys() { return byTime(keys(prefix + "add:")); }
  function refusedKeys() { return byTime(keys(prefix + "refused:")); }

  // --------------------------------------------------------------- helpers
  function fields() { return root.querySelectorAll("[data-autosave]"); }
  function fieldNamed(name) { return root.querySelector('[data-autosave="' + name + '"]'); }
  function baseOf(name) { return root.querySelector('[data-base-for="' + name + '"]'); }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function newToken() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function isLogin(xhr) { return !!(xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login") !== -1); }
  // The element that made the request (htmx gives the swap target as beforeSwap's elt).
  function sourceOf(event) {
    var config = event.detail.requestConfig;
    return (config && config.elt) || event.detail.elt;
  }
  function isField(elt) { return !!(elt.dataset && elt.dataset.autosave); }
  function isFinish(elt) { return !!(elt.hasAttribute && elt.hasAttribute("data-finish")); }
  function isQueueForm(elt) { return !!(elt.dataset && elt.dataset.queue !== undefined); }
  // No answer, or one that may differ next time: keep it and send it again later.
  function isTransient(status) { return status === 0 || status === 408 || status === 429 || status >= 500; }
  // An answer that will not change by sending again (422 re-renders the form with its message).
  function isRefusal(status) { return status >= 400 && status < 500 && status !== 422 && !isTransient(status); }
  function isTooLarge(status) { return status === 400 || status === 413; }
  function labelOf(field) {
    var label = root.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.trim() : field.dataset.autosave;
  }
  function tellFinish(message) { document.getElementById("finish-feedback").textContent = message; }
  // The base is the server's text these edits start from: the last text it saved for us.
  function remember(field) {
    var name = field.dataset.autosave;
    write(fieldKey(name), { value: field.value, base: baseOf(name).value, label: labelOf(field), at: Date.now() });
  }

  // ---------------------------------------------------------------- limits
  // A field's own limit, counted as the server counts it: in characters (code points).
  function limitOf(field) {
    return parseInt(field.dataset.limit || field.getAttribute("maxlength"), 10) || 0;
  }
  function characters(text) { return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length; }
  function isTooLong(field) {
    var limit = limitOf(field);
    // code units never count fewer than characters, and cost nothing to count
    return limit > 0 && field.value.length > limit && characters(field.value) > limit;
  }
  function tooLongFields() { return Array.prototype.filter.call(fields(), isTooLong); }
  function number(n) { return n.toLocaleString(document.documentElement.lang || undefined); }
  function feedbackOf(field) { return root.querySelector('[data-feedback-for="' + field.dataset.autosave + '"]'); }

  // At the field: how long the text is, and what is allowed (limit 0: the field has no limit
  // of its own, but the request was too large all the same). A conflict box there stays.
  function showTooLong(field, limit) {
    var message = (limit ? root.dataset.msgTooLong : root.dataset.msgTooBig)
      .replace("{length}", number(characters(field.value)))
      .replace("{limit}", number(limit));
    var box = feedbackOf(field);
    var note = box.querySelector("[data-too-long]");
    if (!note) {
      box.querySelectorAll("p.error").forEach(function (old) { old.remove(); });
      note = document.createElement("p");
      note.className = "error";
      note.setAttribute("role", "alert");
      note.dataset.tooLong = "";
      box.prepend(note);
    }
    if (note.textContent !== message) note.textContent = message;
  }
  function clearTooLong(field) {
    var note = feedbackOf(field).querySelector("[data-too-long]");
    if (note) note.remove();
  }
  function checkLength(field) {
    if (isTooLong(field)) showTooLong(field, limitOf(field));
    else clearTooLong(field);
  }

  // ---------------------------------------------------------------- status
  function refreshStatus() {
    var pending = 0;
    fields().forEach(function (f) { if (read(fieldKey(f.dataset.autosave))) pending++; });
    var queued = queueKeys().length;
    var problem = refusedKeys().length || root.querySelector(".conflict, .feedback .error, [data-finished]");
    var state;
    if (anyUnkept()) state = "unkept"; // before all else: closing the page would lose it
    else if (signedOut) state = "login";
    else if (problem) state = "problem";
    else if (offline && (pending || queued)) state = "offline";
    else if (inFlight > 0) state = "saving";
    else if (pending || queued) state = "pending";
    else state = "saved";
    if (statusEl.dataset.state === state) return;
    statusEl.dataset.state = state;
    statusEl.textContent = root.dataset["msg" + state.charAt(0).toUpperCase() + state.slice(1)];
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      retryNow();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  // Send what is waiting, one request at a time: first the queued additions (in the order
  // they were made), then the text fields (htmx queues those behind each other itself).
  function retryNow() {
    if (queueKeys().length) flushQueue(resendFields);
    else resendFields();
  }

  function resendFields() {
    fields().forEach(function (f) {
      var entry = read(fieldKey(f.dataset.autosave));
      var box = root.querySelector('[data-feedback-for="' + f.dataset.autosave + '"] .conflict');
      if (entry && !box) window.htmx.trigger(f, "autosave-retry");
    });
  }

  function succeeded() {
    offline = false;
    retryDelay = 3000;
  }
  function failed() {
    offline = true;
    scheduleRetry();
  }

  // ------------------------------------------------------------ autosave
  function onInput(event) {
    var field = event.target.closest && event.target.closest("[data-autosave]");
    if (!field) return;
    remember(field);
    checkLength(field);
    refreshStatus();
  }

  function onConfigRequest(event) {
    var elt = event.detail.elt;
    var params = event.detail.parameters;
    if (isField(elt)) {
      if (isTooLong(elt)) {
        event.preventDefault(); // the server would refuse it; it stays in the box and here
        showTooLong(elt, limitOf(elt));
        refreshStatus();
        return;
      }
      var name = elt.dataset.autosave;
      elt._sent = elt.value;
      params[name] = elt.value;
      params["base-" + name] = baseOf(name).value;
      params.version = root.querySelector("[data-version]").value;
      inFlight++;
    } else if (isFinish(elt)) {
      // Finishing carries any text not yet autosaved, so nothing typed is left behind.
      fields().forEach(function (f) {
        params[f.dataset.autosave] = f.value;
        params["base-" + f.dataset.autosave] = baseOf(f.dataset.autosave).value;
      });
      params.version = root.querySelector("[data-version]").value;
    }
    refreshStatus();
  }

  function onBeforeSwap(event) {
    var xhr = event.detail.xhr;
    if (isLogin(xhr)) {
      event.detail.shouldSwap = false;
      return;
    }
    if (isQueueForm(sourceOf(event)) && isRefusal(xhr.status)) {
      // not the section swapped for a note: the addition is kept and shown (onAfterRequest)
      event.detail.shouldSwap = false;
      return;
    }
    if (xhr.status === 409) {
      // both texts (or "finished") come back as a fragment: show it at the field
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  }

  function onAfterRequest(event) {
    var elt = event.detail.elt;
    var xhr = event.detail.xhr;
    if (isField(elt)) {
      inFlight = Math.max(0, inFlight - 1);
      var name = elt.dataset.autosave;
      if (isLogin(xhr)) {
        signedOut = true;
      } else if (xhr.status === 200) {
        signedOut = false;
        succeeded();
        baseOf(name).value = elt._sent;
        if (elt.value === elt._sent) drop(fieldKey(name));
        else remember(elt); // typed on while it was on its way: still to send
      } else if (isTransient(xhr.status)) {
        failed();
      } else if (isTooLarge(xhr.status)) {
        succeeded(); // the server is there; this text is too large to send
        showTooLong(elt, isTooLong(elt) ? limitOf(elt) : 0);
      } else {
        succeeded(); // 409 / 422: the server answered; the message is at the field
      }
    } else if (isFinish(elt)) {
      if (xhr.status === 0) {
        tellFinish(root.dataset.msgFinishOffline);
        failed();
      } else if (isTooLarge(xhr.status)) {
        tellFinish(root.dataset.msgFinishTooLong);
      } else if (xhr.status === 204) {
        keys(prefix).forEach(drop);
      } else if (xhr.status === 422) {
        // e.g. a conflict: let each unsaved field show its own message with both texts
        retryNow();
      }
    } else if (isQueueForm(elt)) {
      if (isTransient(xhr.status)) {
        enqueue(elt);
        failed();
      } else if (!isLogin(xhr)) {
        succeeded();
        if (isRefusal(xhr.status)) refuseForm(elt, xhr.status);
      }
    }
    refreshStatus();
  }

  function onVersion(event) {
    var version = event.detail && event.detail.version;
    if (!version) return;
    root.querySelectorAll("[data-version]").forEach(function (input) { input.value = version; });
  }

  function onResponseError(event) {
    // Conflicts, server errors, texts too large and refused additions get our own messages
    // (and a retry); keep app.js's generic one away for those. Anything else (a 403 or 404
    // of a text field) falls through to it.
    var status = event.detail.xhr.status;
    var elt = sourceOf(event);
    var ours = status === 409 || status >= 500 ||
      (isTooLarge(status) && (isField(elt) || isFinish(elt))) ||
      (isRefusal(status) && isQueueForm(elt));
    if (ours) event.stopPropagation();
  }

  // ----------------------------------------------------------- conflicts
  function onClick(event) {
    var forget = event.target.closest("[data-forget-refused]");
    var retry = event.target.closest("[data-retry-refused]");
    if (forget) return forgetRefused(forget.dataset.forgetRefused);
    if (retry) return retryRefused(retry.dataset.retryRefused);
    var keep = event.target.closest("[data-keep-mine]");
    var theirsButton = event.target.closest("[data-use-theirs]");
    if (!keep && !theirsButton) return;
    var box = event.target.closest(".conflict");
    var name = box.dataset.conflict;
    var field = fieldNamed(name);
    var theirs = box.querySelector("[data-theirs]").value;
    baseOf(name).value = theirs;
    root.querySelectorAll("[data-version]").forEach(function (input) { input.value = box.dataset.version; });
    box.remove();
    if (keep) {
      write(fieldKey(name), { value: field.value, base: theirs, at: Date.now() });
      window.htmx.trigger(field, "autosave-retry");
    } else {
      field.value = theirs;
      drop(fieldKey(name));
    }
    field.focus();
    refreshStatus();
  }

  // -------------------------------------------------------------- queue
  // What a quick-add form sends, to keep: its fields, where it goes, and words to show.
  function entryOf(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, String(value)]);
    });
    var title = form.querySelector("[name=title], [name=what]");
    var button = form.querySelector("button");
    var heading = document.getElementById(form.dataset.queue + "-heading");
    return {
      url: form.getAttribute("action"),
      data: pairs,
      section: form.dataset.queue,
      heading: heading ? heading.textContent.trim() : form.dataset.queue,
      label: title ? title.value : (button ? button.textContent.trim() : ""),
      at: Date.now()
    };
  }
  function tokenOf(form) {
    var token = form.querySelector("[name=client_token]");
    return (token && token.value) || newToken();
  }
  function clearQuickAdd(form) {
    if (!form.classList.contains("quick-add")) return;
    form.reset();
    var token = form.querySelector("[name=client_token]");
    if (token) token.value = newToken();
  }

  function enqueue(form) {
    write(prefix + "add:" + tokenOf(form), entryOf(form));
    clearQuickAdd(form);
    showQueued();
  }

  // The words of a kept addition, to copy: its title (or what, or whom) and what came with it.
  var COPY_ALONG = ["tags", "new_tags", "reason", "due_on"];
  function wordsOf(entry) {
    var along = (entry.data || []).filter(function (pair) {
      return COPY_ALONG.indexOf(pair[0]) !== -1 && pair[1];
    }).map(function (pair) { return pair[1]; });
    return [entry.label].concat(along).filter(Boolean).join(" · ");
  }

  function listFor(entry) {
    var list = document.querySelector("#" + entry.section + " [data-items]");
    var empty = list && list.querySelector("[data-empty]");
    if (empty) empty.remove();
    return list;
  }
  function queuedItem(entry) {
    var li = document.createElement("li");
    li.dataset.queued = "1";
    li.className = "queued";
    li.textContent = entry.label + " — " + root.dataset.msgQueued;
    return li;
  }

  function showQueued() {
    root.querySelectorAll("li[data-queued], li[data-refused]").forEach(function (li) { li.remove(); });
    queueKeys().forEach(function (key) {
      var entry = read(key);
      var list = entry && listFor(entry);
      if (list) list.appendChild(queuedItem(entry));
    });
    refusedKeys().forEach(function (key) {
      var entry = read(key);
      var list = entry && listFor(entry);
      if (list) list.appendChild(refusedItem(key, entry));
    });
  }

  // ------------------------------------------------------------- refused
  function tokenIn(key) { return key.slice(key.lastIndexOf(":") + 1); }
  function refuse(queueKey, entry, status) {
    entry.status = status;
    write(prefix + "refused:" + tokenIn(queueKey), entry);
    drop(queueKey);
  }
  function refuseForm(form, status) {
    refuse(prefix + "add:" + tokenOf(form), entryOf(form), status);
    clearQuickAdd(form);
    showQueued();
  }

  function refusedMessage(status) {
    var why = { 409: "Finished", 404: "Gone", 403: "Forbidden" }[status] || "Other";
    return root.dataset["msgRefused" + why];
  }
  function actionButton(text, attribute, key) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button-small button-secondary";
    button.setAttribute(attribute, key);
    button.textContent = text;
    return button;
  }
  function refusedItem(key, entry) {
    var li = document.createElement("li");
    li.className = "refused";
    li.dataset.refused = key;
    var why = document.createElement("p");
    why.className = "refused-why";
    why.textContent = refusedMessage(entry.status);
    var words = document.createElement("p");
    words.className = "refused-words";
    words.textContent = wordsOf(entry);
    var actions = document.createElement("p");
    actions.className = "refused-actions";
    // signed in again meanwhile: a reloaded page's token may get it through
    if (entry.status === 403) actions.appendChild(actionButton(root.dataset.msgRefusedRetry, "data-retry-refused", key));
    actions.appendChild(actionButton(root.dataset.msgRefusedRemove, "data-forget-refused", key));
    li.append(why, words, actions);
    return li;
  }

  function forgetRefused(key) {
    drop(key);
    showQueued();
    refreshStatus();
  }
  function retryRefused(key) {
    var entry = read(key);
    if (entry) {
      delete entry.status;
      write(prefix + "add:" + tokenIn(key), entry);
    }
    forgetRefused(key);
    retryNow();
  }

  function flushQueue(then) {
    if (flushing) return;
    var pending = queueKeys();
    if (!pending.length) {
      if (then) then();
      return;
    }
    flushing = true;
    var key = pending[0];
    var entry = read(key);
    if (!entry) { drop(key); flushing = false; flushQueue(then); return; }
    var body = new URLSearchParams();
    entry.data.forEach(function (pair) { body.append(pair[0], pair[1]); });
    inFlight++;
    refreshStatus();
    window.fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      if (response.redirected && response.url.indexOf("/accounts/login") !== -1) {
        signedOut = true;
        throw new Error("signed out");
      }
      if (isTransient(response.status)) throw new Error("not through");
      return response.text().then(function (html) {
        if (isRefusal(response.status)) refuse(key, entry, response.status);
        else drop(key);
        succeeded();
        if (response.status === 200 || response.status === 422) {
          var template = document.createElement("template");
          template.innerHTML = html.trim();
          var fresh = template.content.firstElementChild;
          var current = document.getElementById(entry.section);
          if (fresh && current) {
            current.replaceWith(fresh);
            window.htmx.process(fresh);
          }
        }
      });
    }).then(function () {
      inFlight = Math.max(0, inFlight - 1);
      flushing = false;
      showQueued();
      refreshStatus();
      flushQueue(then);
    }, function () {
      inFlight = Math.max(0, inFlight - 1);
      flushing = false;
      if (!signedOut) failed();
      refreshStatus();
    });
  }

  function onConfirm(event) {
    var elt = event.detail.elt;
    if (!isFinish(elt)) return;
    var tooLong = tooLongFields();
    if (tooLong.length) {
      event.preventDefault();
      tooLong.forEach(function (field) { showTooLong(field, limitOf(field)); });
      tellFinish(root.dataset.msgFinishTooLong);
      refreshStatus();
    } else if (refusedKeys().length) {
      event.preventDefault(); // finishing would forget them; the builder decides first
      tellFinish(root.dataset.msgFinishRefused);
    } else if (queueKeys().length) {
      event.preventDefault();
      tellFinish(root.dataset.msgWait);
      retryNow();
    }
  }

  // ------------------------------------------------------------- start
  function resume() {
    fields().forEach(function (field) {
      var name = field.dataset.autosave;
      var entry = read(fieldKey(name));
      if (!entry) return;
      if (entry.value === field.value) { drop(fieldKey(name)); return; }
      field.value = entry.value;
      if (entry.base !== null && entry.base !== undefined) baseOf(name).value = entry.base;
      checkLength(field);
    });
    showQueued();
    refreshStatus();
    retryNow();
  }

  // ----------------------------------------------------------- leftovers
  // A logged conversation needs nothing kept on this device (private notes included), except
  // what never reached the server (it was finished on another device first): that is shown
  // on its page to copy, until the builder removes it.
  function savedText(name) {
    var script = document.getElementById("saved-" + name);
    try { return script ? JSON.parse(script.textContent) : null; } catch (e) { return null; }
  }
  function sameText(a, b) { return String(a || "").replace(/\r\n?/g, "\n") === String(b || "").replace(/\r\n?/g, "\n"); }

  function leftoverOf(key, start) {
    var entry = read(key);
    if (!entry) return null;
    var name = key.slice(start.length);
    if (name.indexOf("add:") === 0 || name.indexOf("refused:") === 0) {
      return { label: entry.heading || entry.section, text: wordsOf(entry) };
    }
    if (typeof entry.value !== "string" || !entry.value.trim() || sameText(entry.value, savedText(name))) return null;
    return { label: entry.label || name, text: entry.value };
  }

  function leftoverField(leftover, i) {
    var field = document.createElement("div");
    field.className = "field";
    var label = document.createElement("label");
    label.htmlFor = "leftover-" + i;
    label.textContent = leftover.label;
    var text = document.createElement("textarea");
    text.id = "leftover-" + i;
    text.readOnly = true;
    text.rows = 3;
    text.value = leftover.text;
    field.append(label, text);
    return field;
  }

  function showLeftovers() {
    var logged = document.getElementById("conversation-logged");
    if (!logged) return;
    var start = "assetmap:conversation:" + logged.dataset.conversation + ":";
    var box = document.getElementById("leftovers");
    var found = [];
    byTime(keys(start)).forEach(function (key) {
      var leftover = box && leftoverOf(key, start);
      if (leftover) found.push(leftover);
      else drop(key);
    });
    if (!found.length) return;
    var items = box.querySelector("[data-leftover-items]");
    found.forEach(function (leftover, i) { items.appendChild(leftoverField(leftover, i)); });
    box.hidden = false;
    box.querySelector("[data-forget-leftovers]").addEventListener("click", function () {
      keys(start).forEach(drop);
      box.hidden = true;
    });
  }

  function init() {
    showLeftovers();
    root = document.getElementById("conversation");
    if (!root || !window.htmx) return;
    document.documentElement.classList.add("js");
    prefix = "assetmap:conversation:" + root.dataset.conversation + ":";
    statusEl = document.getElementById("save-status");
    root.addEventListener("input", onInput);
    root.addEventListener("click", onClick);
    root.addEventListener("htmx:configRequest", onConfigRequest);
    root.addEventListener("htmx:beforeSwap", onBeforeSwap);
    root.addEventListener("htmx:afterRequest", onAfterRequest);
    root.addEventListener("htmx:responseError", onResponseError);
    root.addEventListener("htmx:confirm", onConfirm);
    root.addEventListener("htmx:afterSwap", showQueued);
    root.addEventListener("conversation-version", onVersion);
    window.addEventListener("online", function () { retryDelay = 3000; retryNow(); });
    window.setTimeout(resume, 0);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
