// Location picker: enhances any element with data-location-picker that holds inputs named
// latitude and longitude. A small map: clicking sets the inputs, typing moves the marker.
// The boundary comes from data-boundary-url (JSON: {boundary, centre, tile_url, attribution,
// messages}) or from a <script type="application/json" nonce=…> inside the element (the boundary GeoJSON, or that object);
// a point outside it gets a warning (it is still allowed).
(function () {
  "use strict";

  var nl = document.documentElement.lang !== "en";
  var DEFAULTS = {
    map: nl ? "Kaart: klik om de plek te kiezen" : "Map: click to set the location",
    outside: nl ? "Dit punt ligt buiten de grens van de buurt. Dat mag; controleer of de coördinaten kloppen."
                : "This point lies outside the neighbourhood's boundary. That is allowed; check that the coordinates are right."
  };

  function number(text) {
    var value = String(text || "").trim().replace(",", ".");
    if (!/^[+-]?\d+(\.\d+)?$/.test(value)) return null;
    return parseFloat(value);
  }

  function inRing(lat, lon, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function polygons(geo) {
    if (!geo) return [];
    if (geo.type === "FeatureCollection") return [].concat.apply([], (geo.features || []).map(polygons));
    if (geo.type === "Feature") return polygons(geo.geometry);
    if (geo.type === "Polygon") return [geo.coordinates];
    if (geo.type === "MultiPolygon") return geo.coordinates;
    return [];
  }

  // true / false, or null when there is no boundary
  function contains(geo, lat, lon) {
    var found = polygons(geo);
    if (!found.length) return null;
    return found.some(function (polygon) {
      return inRing(lat, lon, polygon[0]) &&
        !polygon.slice(1).some(function (hole) { return inRing(lat, lon, hole); });
    });
  }

  function setup(root, config) {
    var lat = root.querySelector('input[name="latitude"], input[name$="-latitude"]');
    var lon = root.querySelector('input[name="longitude"], input[name$="-longitude"]');
    if (!lat || !lon || !window.L) return;
    var messages = Object.assign({}, DEFAULTS, config.messages || {});
    var box = document.createElement("div");
    box.className = "location-picker-map";
    box.setAttribute("role", "application");
    box.setAttribute("aria-label", messages.map);
    var warning = document.createElement("p");
    warning.className = "location-picker-warning";
    warning.setAttribute("role", "status");
    warning.hidden = true;
    root.appendChild(box);
    root.appendChild(warning);

    var map = L.map(box, { scrollWheelZoom: false });
    var tiles = root.dataset.tileUrl || config.tile_url;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: config.attribution || "" }).addTo(map);
    var boundary = null;
    if (config.boundary) {
      boundary = L.geoJSON(config.boundary, {
        interactive: false,
        style: { color: "#154f41", weight: 2, fillOpacity: 0.05 }
      }).addTo(map);
    }
    var centre = config.centre ||
      (root.dataset.centreLat ? [number(root.dataset.centreLat), number(root.dataset.centreLon)] : null);
    var marker = null;

    function check(latitude, longitude) {
      var inside = contains(config.boundary, latitude, longitude);
      warning.hidden = inside !== false;
      warning.textContent = inside === false ? messages.outside : "";
      root.dataset.outside = inside === false ? "1" : "0";
    }

    function place(latitude, longitude, pan) {
      if (marker) marker.setLatLng([latitude, longitude]);
      else marker = L.marker([latitude, longitude], { keyboard: false, interactive: false }).addTo(map);
      if (pan) map.panTo([latitude, longitude]);
      check(latitude, longitude);
    }

    function fromInputs() {
      var a = number(lat.value), b = number(lon.value);
      if (a === null || b === null || Math.abs(a) > 90 || Math.abs(b) > 180) {
        if (marker) { map.removeLayer(marker); marker = null; }
        warning.hidden = true;
        return false;
      }
      place(a, b, true);
      return true;
    }

    map.on("click", function (event) {
      var p = event.latlng;
      lat.value = p.lat.toFixed(6);
      lon.value = p.lng.toFixed(6);
      place(p.lat, p.lng, false);
      [lat, lon].forEach(function (input) {
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    [lat, lon].forEach(function (input) { input.addEventListener("input", fromInputs); });

    if (fromInputs()) map.setView(marker.getLatLng(), 16);
    else if (boundary && boundary.getBounds().isValid()) map.fitBounds(boundary.getBounds());
    else if (centre && centre[0] !== null) map.setView(centre, 15);
    else map.setView([52.2, 5.3], 7);
    root.dataset.pickerReady = "1";
  }

  function embedded(root) {
    var script = root.querySelector('script[type="application/json"]');
    if (!script) return null;
    try {
      var value = JSON.parse(script.textContent);
      return value && value.type ? { boundary: value } : value;
    } catch (error) {
      return null;
    }
  }

  function enhance(root) {
    if (root.dataset.pickerBound) return;
    root.dataset.pickerBound = "1";
    var config = embedded(root);
    if (config) return setup(root, config);
    if (!root.dataset.boundaryUrl) return setup(root, {});
    fetch(root.dataset.boundaryUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .catch(function () { return {}; })
      .then(function (config) { setup(root, config || {}); });
  }

  function init(scope) {
    (scope || document).querySelectorAll("[data-location-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
