// Draws a graph view (/views/...) with vis-network. The server sends the nodes and edges, their
// positions already computed, as JSON in <script id="lrkg-view-data">; physics stays off, so
// the picture is settled as soon as it is drawn. Node titles are strings, which vis-network 9
// shows as text, never as HTML. A click on a node opens its page (always a path on this server).
(function () {
  "use strict";
  var container = document.getElementById("lrkg-view");
  var source = document.getElementById("lrkg-view-data");
  if (!container || !source || typeof vis === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  network.on("click", function (event) {
    if (event.nodes.length !== 1) {
      return;
    }
    var node = nodes.get(event.nodes[0]);
    if (node && typeof node.href === "string" && node.href.charAt(0) === "/" && node.href.charAt(1) !== "/") {
      window.location.assign(node.href);
    }
  });
  network.on("hoverNode", function () { container.style.cursor = "pointer"; });
  network.on("blurNode", function () { container.style.cursor = "default"; });
  network.once("afterDrawing", function () {
    container.setAttribute("data-drawn", "true");
  });

  // For people at the console and for the browser tests: the network and its data sets.
  window.lrkgNetwork = network;
  window.lrkgNodes = nodes;
  window.lrkgEdges = edges;
})();
