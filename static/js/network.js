// The network graph (vendored cytoscape.js): load the JSON of network/data/, draw it, find a
// name and focus on it, and slide through the dates between "then" and "now".
// No inline handlers (strict CSP); the tables on the page are the no-JS alternative.
(function () {
  "use strict";

  var COLOURS = {
    knew: "#1f6f5c",
    introduced: "#b3541e",
    initiative: "#3b5bdb",
    other: "#6b7280",
    member: "#c2a5e8"
  };
  var LARGE = 600;

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function say(node, text) {
    if (node) node.textContent = text;
  }

  function lang() {
    return document.documentElement.lang || "nl";
  }

  function english() {
    return lang().indexOf("en") === 0;
  }

  function formatDate(iso) {
    var parts = iso.split("-");
    var day = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
    return day.toLocaleDateString(lang(), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  function iso(day) {
    return day.toISOString().slice(0, 10);
  }

  // Month ends between then and now, ending with now itself.
  function steps(then, now) {
    var result = [];
    var p = then.split("-");
    var cursor = new Date(Date.UTC(+p[0], +p[1] - 1, 1));
    while (true) {
      var end = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 0));
      var text = iso(end);
      if (text >= now) break;
      if (text >= then) result.push(text);
      cursor = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
    }
    result.push(now);
    return result;
  }

  function style(large) {
    var s = [
      { selector: "node", style: {
        "label": large ? "" : "data(label)", "font-size": 10, "min-zoomed-font-size": 8,
        "text-valign": "bottom", "text-margin-y": 2, "color": "#1d2a2f",
        "width": 12, "height": 12, "background-color": "#4f5f66"
      } },
      { selector: "node[kind = 'organisation']", style: {
        "shape": "round-rectangle", "width": 18, "height": 18, "background-color": "#8a4b00", "label": "data(label)"
      } },
      { selector: "node[kind = 'initiative']", style: {
        "shape": "diamond", "width": 22, "height": 22, "background-color": "#3b5bdb", "label": "data(label)",
        "font-weight": "bold"
      } },
      { selector: "edge", style: { "width": 1.5, "line-color": COLOURS.other, "curve-style": "haystack", "opacity": 0.8 } },
      { selector: ".focus", style: { "border-width": 3, "border-color": "#ffbf47", "label": "data(label)", "z-index": 10 } },
      { selector: ".near", style: { "label": "data(label)" } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: ".gone", style: { "display": "none" } }
    ];
    Object.keys(COLOURS).forEach(function (origin) {
      s.push({ selector: "edge[origin = '" + origin + "']", style: { "line-color": COLOURS[origin] } });
    });
    return s;
  }

  function draw(box, data) {
    var tools = document.querySelector("[data-graph-tools]");
    var status = document.querySelector("[data-graph-status]");
    var large = data.nodes.length > LARGE;
    box.textContent = "";
    if (tools) tools.hidden = false;

    var cy = window.cytoscape({
      container: box,
      elements: { nodes: data.nodes, edges: data.edges },
      style: style(large),
      layout: data.layout === "preset"
        ? { name: "preset", fit: true, padding: 20 }
        : { name: "cose", animate: false, randomize: false, padding: 20, numIter: 800 },
      minZoom: 0.02,
      maxZoom: 4,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : "auto"
    });
    box.removeAttribute("aria-hidden");
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", english()
      ? "Network graph; the table below has the same information."
      : "Netwerkgrafiek; de tabel hieronder bevat dezelfde informatie.");

    var summary = "";
    var note = document.querySelector("[data-graph-note]");
    if (note && data.note) {
      note.textContent = data.note;
      note.hidden = false;
    }

    // Names for the search box.
    var list = document.getElementById("graph-names");
    if (list) {
      var seen = {};
      data.nodes.slice(0, 3000).forEach(function (n) {
        var label = n.data.label;
        if (!label || seen[label]) return;
        seen[label] = true;
        var option = document.createElement("option");
        option.value = label;
        list.appendChild(option);
      });
    }

    function clear() {
      cy.elements().removeClass("faded focus near");
    }

    function focus(node) {
      clear();
      var around = node.closedNeighborhood();
      cy.elements().not(around).addClass("faded");
      around.nodes().addClass("near");
      node.addClass("focus");
      cy.animate({ fit: { eles: around, padding: 60 } }, { duration: 250 });
      var count = node.connectedEdges(":visible").length;
      say(status, node.data("label") + " · " + count + (english() ? " links" : " verbindingen"));
    }

    var form = document.querySelector("[data-focus-form]");
    var input = document.getElementById("graph-search");
    function find(text) {
      var wanted = text.trim().toLocaleLowerCase();
      if (!wanted) return null;
      var exact = null, partial = null;
      cy.nodes().forEach(function (n) {
        var label = (n.data("label") || "").toLocaleLowerCase();
        if (!exact && label === wanted) exact = n;
        if (!partial && label.indexOf(wanted) >= 0) partial = n;
      });
      return exact || partial;
    }
    if (form && input) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var node = find(input.value);
        if (node) focus(node);
        else say(status, data.labels ? data.labels.not_found : "");
      });
      var reset = form.querySelector("[data-reset]");
      if (reset) reset.addEventListener("click", function () {
        clear();
        input.value = "";
        cy.animate({ fit: { eles: cy.elements(), padding: 20 } }, { duration: 250 });
        say(status, summary);
      });
      if (input.value) {
        var first = find(input.value);
        if (first) focus(first);
      }
    }
    cy.on("tap", "node", function (event) { focus(event.target); });

    // The date slider: show the connections that existed on a chosen day.
    var slider = document.querySelector("[data-date-slider]");
    var output = document.getElementById("graph-date-label");
    if (slider && data.then && data.now) {
      var days = steps(data.then, data.now);
      slider.min = 0;
      slider.max = days.length - 1;
      slider.value = days.length - 1;
      var show = function () {
        var day = days[+slider.value];
        if (output) output.textContent = formatDate(day);
        slider.setAttribute("aria-valuetext", formatDate(day));
        var active = 0;
        cy.batch(function () {
          cy.edges().forEach(function (edge) {
            var since = edge.data("since"), ended = edge.data("ended");
            var on = (!since || since <= day) && (!ended || ended > day);
            // count person–person connections only, as the figures do
            if (on) { edge.removeClass("gone"); if (edge.data("target").charAt(0) === "p") active += 1; }
            else edge.addClass("gone");
          });
        });
        say(status, (english() ? "Connections on " : "Verbindingen op ") + formatDate(day) + ": " + active);
      };
      slider.addEventListener("input", show);
      show();
    }
  }

  // People who bridge groups: for a large network they come in a request of their own.
  function loadBridges() {
    var box = document.getElementById("network-bridges");
    if (!box || !box.dataset.bridgesUrl) return;
    fetch(box.dataset.bridgesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        var found = data.bridges;
        if (!found) return;
        box.textContent = "";
        if (!found.people.length) {
          var none = document.createElement("p");
          none.className = "muted";
          none.textContent = box.dataset.none;
          box.appendChild(none);
          return;
        }
        var list = document.createElement("ol");
        list.className = "nw-bridges";
        found.people.forEach(function (person) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = person.url;
          link.textContent = person.name;
          var score = document.createElement("span");
          score.className = "muted";
          score.textContent = " · " + box.dataset.word + " " + person.score.toFixed(3);
          item.appendChild(link);
          item.appendChild(score);
          list.appendChild(item);
        });
        box.appendChild(list);
        if (found.approximate) {
          var note = document.createElement("p");
          note.className = "muted small";
          note.textContent = box.dataset.estimated.replace("SAMPLES", String(found.samples));
          box.appendChild(note);
        }
      })
      .catch(function () { /* the link in the box still works */ });
  }

  ready(loadBridges);

  ready(function () {
    var box = document.getElementById("network-graph");
    if (!box || typeof window.cytoscape !== "function") return;
    var status = document.querySelector("[data-graph-status]");
    say(box.querySelector(".nw-graph-fallback"), english() ? "Loading the graph…" : "De grafiek wordt geladen…");
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { draw(box, data); })
      .catch(function () {
        say(box.querySelector(".nw-graph-fallback") || status, english()
          ? "The graph could not be loaded; the tables below show the same network."
          : "De grafiek kon niet worden geladen; de tabellen hieronder tonen hetzelfde netwerk.");
      });
  });
})();
