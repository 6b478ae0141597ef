/* Complaints: location on the filing form and the public map (progressive enhancement: every
   page works without this script; views/location.py serves it).
   - the village list shows only the chosen district's villages (the server does the same after
     the "show the villages" button when there is no script);
   - "use my location" (the browser's geolocation) fills the coordinates, and the district and
     village from the tenant's boundaries (GET locate);
   - where the page has a map (#pick-map, Leaflet served by the app): tap or drag the pin;
   - the public map (#complaints-map) draws the open complaints (GeoJSON from data-src).
   Texts come from the page (data-msg-*), already in the reader's language. */
(function () {
  "use strict";

  var INDONESIA = [-2.5, 118.0];

  function byId(id) { return document.getElementById(id); }

  function escapeHtml(text) {
    return String(text || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      });
  }

  function tileLayer(L, element) {
    return L.tileLayer(element.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: escapeHtml(element.getAttribute("data-attribution"))
    });
  }

  function startingPoint(element) {
    var center = (element.getAttribute("data-center") || "").split(",");
    if (center.length === 2 && isFinite(parseFloat(center[0])) && isFinite(parseFloat(center[1]))) {
      return { at: [parseFloat(center[0]), parseFloat(center[1])], zoom: 13 };
    }
    return { at: INDONESIA, zoom: 5 };
  }

  /* -- the filing form ------------------------------------------------------------------------ */

  function filingForm(tools) {
    var district = document.querySelector("select[name=district]");
    var village = document.querySelector("select[name=village]");
    var lat = document.querySelector("input[name=latitude]");
    var lon = document.querySelector("input[name=longitude]");
    var status = byId("location-status");
    var allVillages = null;
    var marker = null, map = null;

    Array.prototype.forEach.call(document.querySelectorAll(".no-js-only"), function (el) { el.hidden = true; });

    function say(text, isError) {
      status.textContent = text || "";
      status.className = isError ? "error" : "";
    }

    function showVillages(keep) {
      if (!district || !village || !allVillages) return;
      var chosen = district.value, current = keep || village.value;
      var first = village.options[0] ? village.options[0].cloneNode(true) : null;
      while (village.options.length) village.remove(0);
      if (first) { first.value = ""; village.add(first); }
      allVillages.forEach(function (v) {
        if (!chosen || v.district === chosen) village.add(new Option(v.name, v.code));
      });
      village.value = current;
      if (village.value !== current) village.value = "";
    }

    function loadVillages() {
      if (allVillages) return Promise.resolve();
      return getJson(tools.getAttribute("data-villages-url")).then(function (answer) {
        if (answer.ok && Array.isArray(answer.body)) allVillages = answer.body;
      }).catch(function () { /* the list stays as the server gave it */ });
    }

    if (district && village) {
      district.addEventListener("change", function () { loadVillages().then(function () { showVillages(); }); });
      loadVillages().then(function () { showVillages(); });
    }

    function lookup(latitude, longitude) {
      var url = tools.getAttribute("data-locate-url") + "?lat=" + encodeURIComponent(latitude) +
        "&lon=" + encodeURIComponent(longitude);
      return getJson(url).then(function (answer) {
        if (!answer.ok) {
          say(answer.body && answer.body.error ? answer.body.error.message : "", true);
          return false;
        }
        var place = answer.body;
        if (place.district && district) district.value = place.district.code;
        return loadVillages().then(function () {
          showVillages(place.village ? place.village.code : "");
          return true;
        });
      }).catch(function () { return true; });
    }

    function setPoint(latitude, longitude, moveMap) {
      lat.value = latitude.toFixed(6);
      lon.value = longitude.toFixed(6);
      if (map) {
        if (!marker) {
          marker = window.L.marker([latitude, longitude], { draggable: true, keyboard: true }).addTo(map);
          marker.on("dragend", function () {
            var p = marker.getLatLng();
            setPoint(p.lat, p.lng, false);
            lookup(p.lat, p.lng).then(function (ok) { if (ok) say(tools.getAttribute("data-msg-placed")); });
          });
        } else {
          marker.setLatLng([latitude, longitude]);
        }
        if (moveMap) map.setView([latitude, longitude], Math.max(map.getZoom(), 16));
      }
    }

    var mapElement = byId("pick-map");
    if (mapElement && window.L) {
      mapElement.hidden = false;
      var start = startingPoint(mapElement);
      map = window.L.map(mapElement).setView(start.at, start.zoom);
      tileLayer(window.L, mapElement).addTo(map);
      map.attributionControl.setPrefix("Leaflet");
      map.on("click", function (event) {
        setPoint(event.latlng.lat, event.latlng.lng, false);
        lookup(event.latlng.lat, event.latlng.lng).then(function (ok) {
          if (ok) say(tools.getAttribute("data-msg-placed"));
        });
      });
      var given = [parseFloat(lat.value), parseFloat(lon.value)];
      if (isFinite(given[0]) && isFinite(given[1])) setPoint(given[0], given[1], true);
    }

    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = parseFloat(lat.value), b = parseFloat(lon.value);
        if (isFinite(a) && isFinite(b)) {
          if (map) setPoint(a, b, true);
          lookup(a, b).then(function (ok) { if (ok) say(""); });
        }
      });
    });

    var button = byId("use-location");
    if (button && navigator.geolocation) {
      button.hidden = false;
      button.addEventListener("click", function () {
        say(tools.getAttribute("data-msg-finding"));
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(function (position) {
          button.disabled = false;
          var c = position.coords;
          setPoint(c.latitude, c.longitude, true);
          lookup(c.latitude, c.longitude).then(function (ok) {
            if (ok) say(tools.getAttribute("data-msg-found").replace("{m}", Math.round(c.accuracy || 0)));
          });
        }, function (error) {
          button.disabled = false;
          say(tools.getAttribute(error && error.code === 1 ? "data-msg-denied" : "data-msg-failed"), true);
        }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
      });
    }
  }

  /* -- the public map --------------------------------------------------------------------------- */

  function publicMap(element) {
    if (!window.L) return;
    var L = window.L;
    element.hidden = false;
    var start = startingPoint(element);
    var map = L.map(element).setView(start.at, start.zoom);
    tileLayer(L, element).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    getJson(element.getAttribute("data-src")).then(function (answer) {
      if (!answer.ok) return;
      var points = [];
      answer.body.features.forEach(function (feature) {
        var c = feature.geometry.coordinates, p = feature.properties;
        var popup = document.createElement("div");
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.number;
        var line = document.createElement("div");
        line.textContent = p.category + " · " + p.status;
        popup.appendChild(link);
        popup.appendChild(line);
        L.marker([c[1], c[0]], { title: p.number }).bindPopup(popup).addTo(map);
        points.push([c[1], c[0]]);
      });
      var count = byId("map-count");
      if (count) count.textContent = count.getAttribute(points.length === 1 ? "data-one" : "data-other")
        .replace("{n}", points.length);
      if (points.length && !element.getAttribute("data-center")) map.fitBounds(points, { maxZoom: 15 });
    }).catch(function () { /* the page says where the list is */ });
  }

  function start() {
    var tools = byId("location-tools");
    if (tools) filingForm(tools);
    var complaintsMap = byId("complaints-map");
    if (complaintsMap) publicMap(complaintsMap);
    var summary = byId("error-summary");
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
