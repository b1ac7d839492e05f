// The neighbourhood map: markers from map/data/ (the same items as the list beside it).
// Works without tiles (offline): the boundary and markers show on a plain background.
(function () {
  "use strict";

  var DEFAULT_CENTRE = [52.2, 5.3]; // the Netherlands, when nothing else is known
  var nl = document.documentElement.lang !== "en";
  var TEXT = {
    places: nl ? "Plekken" : "Places",
    organisations: nl ? "Organisaties" : "Organisations",
    people: nl ? "Mensen per straat" : "People per street",
    failed: nl ? "De kaart kon niet laden; de lijst toont dezelfde items."
               : "The map could not load; the list shows the same items."
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function popup(props) {
    var box = el("div", "map-popup");
    var title = el("strong");
    var link = el("a", null, props.name);
    link.href = props.url;
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(el("span", "map-popup-kind", props.kind_label));
    if (props.detail) box.appendChild(el("span", "map-popup-kind", props.detail));
    return box;
  }

  function icon(props) {
    var inner = el("span", null, props.layer === "people" ? String(props.count) : "");
    var size = props.layer === "people" ? Math.min(40, 22 + String(props.count).length * 6) : 18;
    // An organisation meets at a place, and a street's marker may stand on a place: nudge
    // them apart (organisations up-right, streets down-left) so none hides another.
    var half = size / 2;
    var anchor = { places: [half, half], organisations: [half - 14, half + 14], people: [half + 18, half - 18] };
    return L.divIcon({
      className: "map-marker map-marker-" + props.layer,
      html: inner,
      iconSize: [size, size],
      iconAnchor: anchor[props.layer] || [half, half]
    });
  }

  function label(props) {
    var text = props.name + " (" + props.kind_label + ")";
    return props.layer === "people" ? props.name + ": " + props.kind_label : text;
  }

  function legend() {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("div", "map-legend");
      box.setAttribute("aria-hidden", "true");
      ["places", "organisations", "people"].forEach(function (layer, index) {
        if (index) box.appendChild(el("br"));
        box.appendChild(el("span", "legend-" + layer));
        box.appendChild(document.createTextNode(TEXT[layer]));
      });
      return box;
    };
    return control;
  }

  function init() {
    var canvas = document.querySelector("[data-map]");
    if (!canvas || !window.L || canvas.dataset.mapReady) return;
    canvas.dataset.mapReady = "1";
    canvas.classList.add("is-ready");
    var map = L.map(canvas, { scrollWheelZoom: false }).setView(DEFAULT_CENTRE, 7);
    if (canvas.dataset.tileUrl) {
      L.tileLayer(canvas.dataset.tileUrl, {
        maxZoom: 19,
        attribution: canvas.dataset.attribution || ""
      }).addTo(map);
    }
    legend().addTo(map);
    var markers = L.featureGroup().addTo(map);
    var boundary = null;
    var fitted = false;

    function draw(data) {
      markers.clearLayers();
      if (boundary) { map.removeLayer(boundary); boundary = null; }
      if (data.boundary) {
        boundary = L.geoJSON(data.boundary, {
          interactive: false,
          style: { color: "#154f41", weight: 3, fillColor: "#1f6f5c", fillOpacity: 0.06 }
        }).addTo(map);
      }
      (data.features || []).forEach(function (feature) {
        var props = feature.properties;
        var coords = feature.geometry.coordinates;
        var marker = L.marker([coords[1], coords[0]], {
          icon: icon(props),
          title: label(props),
          alt: label(props),
          keyboard: true,
          riseOnHover: true
        });
        marker.bindPopup(popup(props));
        marker.feature = feature;
        markers.addLayer(marker);
      });
      canvas.dataset.markers = String(markers.getLayers().length);
      if (!fitted) {
        fitted = true;
        if (boundary && boundary.getBounds().isValid()) {
          map.fitBounds(boundary.getBounds(), { padding: [12, 12] });
        } else if (markers.getLayers().length) {
          map.fitBounds(markers.getBounds(), { padding: [24, 24], maxZoom: 17 });
        } else if (data.centre) {
          map.setView(data.centre, 15);
        }
      }
      canvas.dispatchEvent(new CustomEvent("map:drawn", { bubbles: true }));
    }

    function load(query) {
      var url = canvas.dataset.dataUrl + (query ? "?" + query : "");
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(draw)
        .catch(function () {
          canvas.dataset.failed = "1";
          var note = el("p", "message message-warning map-boundary-note", TEXT.failed);
          note.setAttribute("role", "status");
          canvas.insertAdjacentElement("afterend", note);
        });
    }

    var results = document.getElementById("map-results");
    var shown = results ? results.dataset.query : "";
    load(shown);
    // The filters swap the list (HTMX); the markers follow the list's query.
    document.body.addEventListener("htmx:afterSettle", function () {
      var fresh = document.getElementById("map-results");
      if (fresh && fresh.dataset.query !== shown) {
        shown = fresh.dataset.query;
        load(shown);
      }
    });
    window.addEventListener("resize", function () { map.invalidateSize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
