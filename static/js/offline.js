// Start a conversation with no connection (templates/conversations/offline.html).
//
// - Registers the service worker (/sw.js) and keeps the offline conversation page and its
//   files in the cache, so "new conversation" opens without a connection later.
// - Everything typed is kept in localStorage under "assetmap:conversation:offline:<token>"
//   (the prefix app.js knows: logging out asks before removing it), on every keystroke; a
//   reload or a closed tab loses nothing.
// - "Save the conversation" puts it in the outbox (status "queued"). The outbox is sent
//   oldest first, one at a time, whenever there is a connection (on load, on "online", every
//   15 s): a fresh CSRF token is fetched, the whole conversation is posted with its client
//   token (a resend starts nothing twice), and the entry is dropped only when the server has
//   it. A refusal (422) brings the text back into the form with the message.
// Works on any page that loads it (new.html too): that page keeps the offline page and
// sends what is waiting. No inline handlers (strict CSP).
(function () {
  "use strict";

  var PREFIX = "assetmap:conversation:offline:";
  var CACHE = "assetmap-offline-v1";
  var match = window.location.pathname.match(/^\/n\/([^/]+)\//);
  if (!match) return;
  var OFFLINE_URL = "/n/" + match[1] + "/conversations/offline/";

  var root, form, statusEl, outboxEl, errorsEl;
  var flushing = false;
  var unkept = Object.create(null);

  // ------------------------------------------------------------------ storage
  function read(key) {
    if (key in unkept) return unkept[key];
    try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); delete unkept[key]; }
    catch (e) { unkept[key] = value; say("unkept"); }
  }
  function drop(key) {
    delete unkept[key];
    try { window.localStorage.removeItem(key); } catch (e) { /* blocked */ }
  }
  function entries() {
    var found = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(PREFIX) === 0) found.push(k);
      }
    } catch (e) { /* blocked */ }
    Object.keys(unkept).forEach(function (k) { if (found.indexOf(k) === -1) found.push(k); });
    return found.map(read).filter(function (entry) { return entry && entry.token; })
      .filter(function (entry) { return entry.slug === match[1]; })
      .sort(function (a, b) { return a.at - b.at; });
  }

  // ---------------------------------------------------------------- offline page kept
  function keepOfflinePage() {
    if (!("serviceWorker" in navigator) || !window.caches) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      if (!navigator.onLine) return;
      return fetch(OFFLINE_URL, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok || response.redirected) return;
        var copy = response.clone();
        return caches.open(CACHE).then(function (cache) {
          return cache.put(OFFLINE_URL, copy).then(function () { return response.text(); }).then(function (html) {
            var page = new DOMParser().parseFromString(html, "text/html");
            var files = [];
            page.querySelectorAll("link[rel=stylesheet][href], link[rel=icon][href], link[rel=manifest][href], script[src]").forEach(function (el) {
              files.push(el.getAttribute("href") || el.getAttribute("src"));
            });
            return cache.addAll(files);
          });
        });
      }).then(function () { document.documentElement.dataset.offlineReady = "1"; });
    }).catch(function () { /* no service worker: the page needs a connection */ });
  }

  // ---------------------------------------------------------------- the form
  function say(state, extra) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = (root.dataset["msg" + state.charAt(0).toUpperCase() + state.slice(1)] || "") + (extra ? " " : "");
    if (extra) statusEl.appendChild(extra);
  }
  function serialise() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, String(value)]);
    });
    return pairs;
  }
  function tokenOf() { return form.querySelector("[name=client_token]").value; }
  function newToken() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function nameOf(entry) {
    var found = entry.fields.filter(function (pair) { return pair[0] === "first_name"; })[0];
    return found ? found[1] : "";
  }
  function keepTyping() {
    var key = PREFIX + tokenOf();
    var entry = read(key) || { token: tokenOf(), slug: match[1], at: Date.now(), status: "typing" };
    entry.fields = serialise();
    entry.status = "typing";
    write(key, entry);
    say("typing");
  }

  var rowCount = 100;
  function addRow(kind, values) {
    var list = form.querySelector('[data-rows="' + kind + '"]');
    var last = list.lastElementChild;
    var row = last.cloneNode(true);
    rowCount += 1;
    row.querySelectorAll("input, select, label").forEach(function (el) {
      var attr = el.tagName === "LABEL" ? "for" : "id";
      var value = el.getAttribute(attr);
      if (value) el.setAttribute(attr, value.replace(/-\d+$/, "-" + rowCount));
      if (el.tagName === "INPUT") el.value = "";
    });
    list.appendChild(row);
    if (values) fillRow(row, values);
    return row;
  }
  function fillRow(row, values) {
    var inputs = row.querySelectorAll("input, select");
    values.forEach(function (value, i) { if (inputs[i]) inputs[i].value = value; });
  }

  // Put a kept entry back into the form (after a reload, or when the server refused it).
  function restore(entry) {
    form.querySelector("[name=client_token]").value = entry.token;
    var lists = { gift: [], meet: [] };
    var pending = {};
    entry.fields.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (name === "gift_kind") lists.gift.push([value]);
      else if (name === "gift_title") lists.gift[lists.gift.length - 1].push(value);
      else if (name === "meet_name") lists.meet.push([value]);
      else if (name === "meet_reason") lists.meet[lists.meet.length - 1].push(value);
      else (pending[name] = pending[name] || []).push(value);
    });
    Object.keys(pending).forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") el.checked = pending[name].indexOf(el.value) !== -1;
        else if (el.type !== "hidden" || name === "client_token") el.value = pending[name][0];
      });
    });
    form.querySelectorAll("input[type=checkbox]").forEach(function (el) {
      if (!(el.name in pending)) el.checked = false;
    });
    ["gift", "meet"].forEach(function (kind) {
      var rows = form.querySelector('[data-rows="' + kind + '"]');
      while (rows.children.length > 1) rows.removeChild(rows.lastElementChild);
      lists[kind].forEach(function (values, i) {
        if (i === 0) fillRow(rows.firstElementChild, values); else addRow(kind, values);
      });
      if (!lists[kind].length) fillRow(rows.firstElementChild, kind === "gift" ? ["hands", ""] : ["", ""]);
    });
  }

  function fresh() {
    form.reset();
    ["gift", "meet"].forEach(function (kind) {
      var rows = form.querySelector('[data-rows="' + kind + '"]');
      while (rows.children.length > 1) rows.removeChild(rows.lastElementChild);
      rows.firstElementChild.querySelectorAll("input").forEach(function (el) { el.value = ""; });
    });
    form.querySelector("[name=client_token]").value = newToken();
  }

  function showOutbox() {
    if (!outboxEl) return;
    outboxEl.textContent = "";
    entries().filter(function (e) { return e.status === "queued"; }).forEach(function (entry) {
      var li = document.createElement("li");
      li.textContent = root.dataset.msgWaiting + ": " + nameOf(entry);
      outboxEl.appendChild(li);
    });
  }

  function showErrors(errors) {
    if (!errorsEl) return;
    errorsEl.textContent = "";
    Object.keys(errors || {}).forEach(function (name) {
      errors[name].forEach(function (message) {
        var p = document.createElement("p");
        var field = form && form.querySelector('[name="' + name + '"]');
        var label = field && form.querySelector('label[for="' + field.id + '"]');
        p.textContent = (label ? label.textContent.trim() + ": " : "") + message;
        errorsEl.appendChild(p);
      });
    });
  }

  // ---------------------------------------------------------------- sending
  function csrf() {
    return fetch(OFFLINE_URL, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.redirected && response.url.indexOf("/accounts/login") !== -1) throw new Error("login");
      if (!response.ok) throw new Error("offline");
      return response.text();
    }).then(function (html) {
      var input = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrfmiddlewaretoken]");
      if (!input) throw new Error("offline");
      return input.value;
    });
  }

  function send(entry, token) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(OFFLINE_URL, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Offline-Sync": "1", "X-CSRFToken": token },
    }).then(function (response) {
      if (response.redirected && response.url.indexOf("/accounts/login") !== -1) throw new Error("login");
      if (response.status === 422) {
        return response.json().then(function (answer) { return { refused: answer.errors }; });
      }
      if (!response.ok) throw new Error("offline");
      return response.json();
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) return;
    var queued = entries().filter(function (e) { return e.status === "queued"; });
    if (!queued.length) return;
    flushing = true;
    if (form) say("sending");
    csrf().then(function (token) {
      var chain = Promise.resolve();
      queued.forEach(function (entry) {
        chain = chain.then(function () {
          return send(entry, token).then(function (answer) {
            var key = PREFIX + entry.token;
            if (answer.refused) {
              entry.status = "typing";
              write(key, entry);
              if (form) { restore(entry); showErrors(answer.refused); say("refused"); }
              throw new Error("refused");
            }
            drop(key);
            if (form) {
              var link = document.createElement("a");
              link.href = answer.url;
              link.textContent = root.dataset.msgOpen + " (" + nameOf(entry) + ")";
              say("sent", link);
            }
          });
        });
      });
      return chain;
    }).catch(function (error) {
      if (!form) return;
      if (error && error.message === "login") say("login");
      else if (!error || error.message !== "refused") say("queued");
    }).then(function () { flushing = false; showOutbox(); });
  }

  function init() {
    root = document.getElementById("offline-conversation");
    form = document.getElementById("offline-form");
    keepOfflinePage();
    if (form) {
      statusEl = document.getElementById("offline-status");
      outboxEl = document.getElementById("offline-outbox");
      errorsEl = document.getElementById("offline-errors");
      root.querySelectorAll("[data-add-row]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          var row = addRow(button.dataset.addRow);
          row.querySelector("input").focus();
          keepTyping();
        });
      });
      // what was being typed here before a reload or a closed tab comes back
      var typing = entries().filter(function (e) { return e.status === "typing"; });
      if (typing.length && !errorsEl.textContent.trim()) {
        restore(typing[typing.length - 1]);
        say("typing");
      } else if (!errorsEl.textContent.trim()) {
        // the kept page has one token for every time it is opened: each conversation its own
        form.querySelector("[name=client_token]").value = newToken();
      }
      form.addEventListener("input", keepTyping);
      form.addEventListener("change", keepTyping);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var key = PREFIX + tokenOf();
        write(key, { token: tokenOf(), slug: match[1], at: (read(key) || {}).at || Date.now(), status: "queued", fields: serialise() });
        showErrors(null);
        fresh();
        say("queued");
        showOutbox();
        flush();
        window.scrollTo(0, 0);
      });
      showOutbox();
    }
    window.addEventListener("online", flush);
    window.setInterval(flush, 15000);
    flush();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
