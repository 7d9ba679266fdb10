// Draws a graph view (/views/...) with vis-network. The server sends the nodes and edges, their
// positions already computed, as JSON in <script id="lrkg-view-data">; physics stays off, so
// the picture is settled as soon as it is drawn. Node titles are strings, which vis-network 9
// shows as text, never as HTML; every other text reaches the page through textContent.
//
// The view opens fitted to the canvas, which fills the window below the toolbar. The labels of
// the focus kind (the kind of the resource the view is about) are kept READABLE px high on the
// screen at every zoom by giving them a font that grows as the scale shrinks; other labels
// are drawn once they are large enough (the server's drawThreshold), that is as one zooms in.
// A click (a tap) on a node adds its neighbours around it, fetched as JSON from
// /views/resource; a double-click, or the link under the canvas, opens its page. From the
// keyboard: find a node by name, then "Add its neighbours" under the canvas.
(function () {
  "use strict";
  var READABLE = 13;
  var container = document.getElementById("lrkg-view");
  var source = document.getElementById("lrkg-view-data");
  if (!container || !source || typeof vis === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var baseFont = data.options.nodes.font.size;
  var labelEdges = data.edges.some(function (edge) { return typeof edge.label === "string"; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var served = { nodes: {}, edges: {} };
  data.nodes.forEach(function (node) { served.nodes[node.id] = { x: node.x, y: node.y }; });
  data.edges.forEach(function (edge) { served.edges[edge.id] = true; });
  var expanded = {};
  var selected = null;
  var focusFont = baseFont;
  var status = document.getElementById("view-status");

  // The canvas fills the window from where it starts, so that all of it is seen on arrival.
  var top = container.getBoundingClientRect().top + window.scrollY;
  container.style.height = Math.max(280, Math.floor(window.innerHeight - top - 12)) + "px";
  var legend = document.getElementById("view-legend");
  if (legend && window.matchMedia("(max-width: 40rem)").matches) {
    legend.removeAttribute("open");
  }

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function isPagePath(href) {
    return typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/";
  }

  function focusIds() {
    return nodes.getIds({ filter: function (node) { return node.kind === data.focus_kind; } });
  }

  // The focus kind's labels: a font of READABLE px divided by the scale, never below the rest.
  function keepReadable(force) {
    var wanted = Math.max(baseFont, Math.ceil(READABLE / network.getScale()));
    if (!data.focus_kind || (wanted === focusFont && !force)) {
      return;
    }
    focusFont = wanted;
    nodes.update(focusIds().map(function (id) { return { id: id, font: { size: wanted } }; }));
  }

  function fit() {
    network.fit({ animation: false, minZoomLevel: 0.005, maxZoomLevel: 1.5 });
    keepReadable(false);
  }

  function zoomBy(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: false });
    keepReadable(false);
  }

  function namesList() {
    var list = document.getElementById("view-node-names");
    if (!list) {
      return;
    }
    var names = {};
    nodes.forEach(function (node) { names[node.name || node.label] = true; });
    list.textContent = "";
    Object.keys(names).sort().forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
  }

  function showSelected(node) {
    var box = document.getElementById("view-selected");
    if (!box) {
      return;
    }
    if (!node) {
      box.hidden = true;
      return;
    }
    selected = node.id;
    document.getElementById("view-selected-kind").textContent = String(node.title || "").split("\n")[0];
    document.getElementById("view-selected-name").textContent = node.name || node.label;
    var link = document.getElementById("view-selected-link");
    link.hidden = !isPagePath(node.href);
    if (isPagePath(node.href)) {
      link.setAttribute("href", node.href);
    }
    box.hidden = false;
  }

  function addToLegend(entries) {
    var list = document.querySelector(".legend");
    if (!list) {
      return;
    }
    entries.forEach(function (entry) {
      if (list.querySelector('li[data-kind="' + entry.kind + '"]')) {
        return;
      }
      var item = document.createElement("li");
      item.setAttribute("data-kind", entry.kind);
      var symbol = document.createElement("span");
      symbol.className = "symbol";
      symbol.setAttribute("aria-hidden", "true");
      symbol.style.color = entry.color;
      symbol.textContent = entry.symbol;
      item.appendChild(symbol);
      item.appendChild(document.createTextNode(entry.label));
      list.appendChild(item);
    });
  }

  // The neighbourhood's own layout, moved so that its centre falls on the node clicked.
  function merge(id, view) {
    var root = view.nodes.filter(function (node) { return node.id === id; })[0];
    var here = network.getPositions([id])[id];
    var dx = root && here ? here.x - root.x : 0;
    var dy = root && here ? here.y - root.y : 0;
    var added = view.nodes.filter(function (node) { return nodes.get(node.id) === null; }).map(function (node) {
      var copy = Object.assign({}, node, { x: node.x + dx, y: node.y + dy });
      if (node.kind === data.focus_kind && focusFont !== baseFont) {
        copy.font = { size: focusFont };
      }
      return copy;
    });
    var links = view.edges.filter(function (edge) { return edges.get(edge.id) === null; }).map(function (edge) {
      var copy = Object.assign({}, edge);
      if (!labelEdges) {
        delete copy.label;
      }
      return copy;
    });
    nodes.add(added);
    edges.add(links);
    addToLegend(view.legend);
    namesList();
    var more = view.left_out && view.left_out.nodes ? view.left_out.nodes : 0;
    var name = (nodes.get(id) || {}).name || id;
    say("Added " + added.length + " node" + (added.length === 1 ? "" : "s") + " and " + links.length +
        " link" + (links.length === 1 ? "" : "s") + " around " + name +
        (more ? "; " + more + " more are in its own view (open its page)." : "."));
    container.setAttribute("data-expanded", String(Object.keys(expanded).length));
  }

  function expand(id) {
    if (expanded[id] || id.indexOf("_:") === 0) {
      return;
    }
    expanded[id] = true;
    say("Adding the neighbours of " + ((nodes.get(id) || {}).name || id) + " …");
    var url = "/views/resource?format=json&depth=1&limit=" + data.expand_limit + "&iri=" + encodeURIComponent(id);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("the server answered " + response.status);
        }
        return response.json();
      })
      .then(function (view) { merge(id, view); })
      .catch(function (error) {
        delete expanded[id];
        say("Could not add the neighbours: " + error.message + ".");
      });
  }

  function reset() {
    nodes.remove(nodes.getIds({ filter: function (node) { return !served.nodes[node.id]; } }));
    edges.remove(edges.getIds({ filter: function (edge) { return !served.edges[edge.id]; } }));
    nodes.update(Object.keys(served.nodes).map(function (id) {
      return { id: id, x: served.nodes[id].x, y: served.nodes[id].y };
    }));
    expanded = {};
    container.removeAttribute("data-expanded");
    network.unselectAll();
    showSelected(null);
    namesList();
    fit();
    keepReadable(true);
    say("Back to the view as it opened.");
  }

  function find(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) {
      return;
    }
    var all = nodes.get();
    var match = function (test) { return all.filter(test)[0]; };
    var node = match(function (n) { return String(n.name || n.label).toLowerCase() === wanted; }) ||
      match(function (n) { return String(n.name || n.label).toLowerCase().indexOf(wanted) >= 0; }) ||
      match(function (n) { return String(n.id).toLowerCase() === wanted; });
    if (!node) {
      say("No node in this view is named “" + text.trim() + "”.");
      return;
    }
    network.selectNodes([node.id]);
    network.focus(node.id, { scale: Math.max(network.getScale(), 1), animation: false });
    keepReadable(false);
    showSelected(node);
    say("Found " + (node.name || node.label) + ".");
  }

  function showEdgeLabel(id, shown) {
    var edge = edges.get(id);
    if (!labelEdges && edge) {
      edges.update({ id: id, label: shown ? edge.name : " " });
    }
  }

  network.on("click", function (event) {
    if (event.nodes.length === 1) {
      showSelected(nodes.get(event.nodes[0]));
      expand(event.nodes[0]);
    } else {
      showSelected(null);
    }
  });
  network.on("doubleClick", function (event) {
    var node = event.nodes.length === 1 ? nodes.get(event.nodes[0]) : null;
    if (node && isPagePath(node.href)) {
      window.location.assign(node.href);
    }
  });
  network.on("zoom", function () { keepReadable(false); });
  network.on("hoverNode", function () { container.style.cursor = "pointer"; });
  network.on("blurNode", function () { container.style.cursor = "default"; });
  network.on("hoverEdge", function (event) { showEdgeLabel(event.edge, true); });
  network.on("blurEdge", function (event) { showEdgeLabel(event.edge, false); });
  network.on("selectEdge", function (event) { event.edges.forEach(function (id) { showEdgeLabel(id, true); }); });
  network.on("deselectEdge", function (event) {
    (event.previousSelection.edges || []).forEach(function (edge) { showEdgeLabel(edge.id || edge, false); });
  });

  var buttons = { "view-zoom-in": function () { zoomBy(1.5); }, "view-zoom-out": function () { zoomBy(1 / 1.5); },
                  "view-fit": fit, "view-reset": reset,
                  "view-expand": function () { if (selected) { expand(selected); } } };
  Object.keys(buttons).forEach(function (id) {
    var button = document.getElementById(id);
    if (button) {
      button.addEventListener("click", buttons[id]);
    }
  });
  var search = document.getElementById("view-search");
  if (search) {
    search.addEventListener("submit", function (event) {
      event.preventDefault();
      find(document.getElementById("view-search-text").value);
    });
  }

  namesList();
  fit();
  network.once("afterDrawing", function () {
    container.setAttribute("data-drawn", "true");
  });

  // For people at the console and for the browser tests: the network and its data sets.
  window.lrkgNetwork = network;
  window.lrkgNodes = nodes;
  window.lrkgEdges = edges;
  window.lrkgView = { focusKind: data.focus_kind, baseFont: baseFont, readable: READABLE };
})();
