// Assetmap's service worker: lets a community builder start a conversation with no signal.
// Served from /sw.js (conversations.views.service_worker) so its scope covers /n/…/.
//
// It keeps one kind of page: the offline conversation page (/n/<slug>/conversations/offline/,
// which holds nothing about anyone), put in its cache by static/js/offline.js together with
// the files that page loads. Opening "new conversation" (or that page) without a connection
// shows the kept page; everything else goes to the network as usual. Logging out empties the
// cache (static/js/app.js).
"use strict";

var CACHE = "assetmap-offline-v1";
var CONVERSATION_START = /^\/n\/([^/]+)\/conversations\/(new|offline)\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function kept(request) {
  return caches.open(CACHE).then(function (cache) { return cache.match(request); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var start = url.pathname.match(CONVERSATION_START);
  if (start && request.mode === "navigate") {
    var page = "/n/" + start[1] + "/conversations/offline/";
    event.respondWith(
      fetch(request).catch(function () {
        return kept(page).then(function (found) { return found || Response.error(); });
      })
    );
    return;
  }
  if (request.method === "GET" && url.pathname.indexOf("/static/") === 0) {
    // the network first (files change with each release), the kept copy without one
    event.respondWith(
      fetch(request).catch(function () {
        return kept(request).then(function (found) { return found || Response.error(); });
      })
    );
  }
});
