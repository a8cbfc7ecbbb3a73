// The "All papers" view: every node and edge, tooltips, search, filters, neighbourhood
// highlight. Drawn on first open (views.js calls kgStartPaperGraph), since a large graph
// takes seconds to lay out. All text from the graph goes in through textContent.
"use strict";
window.kgStartPaperGraph = function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const DIM_NODE = { background: "#e8e8e8", border: "#d0d0d0" };
  const DIM_EDGE = "#e4e4e4";
  const RELATION_PHRASES = {
    introduces: "introduced by",
    buildsOn: "built on by",
    evaluatesOn: "evaluated on by",
    trainedOn: "trained on by",
    comparesWith: "compared with by",
    usesModality: "used by",
  };

  const { element, safeLink } = window.kgDom;

  function typeName(type) {
    return type === "BaseModel" ? "Model (base model)" : type;
  }

  function paperLinks(node) {
    const links = [];
    if (node.url) links.push([node.url, "paper"]);
    if (node.doi) links.push(["https://doi.org/" + node.doi, "doi:" + node.doi]);
    for (const url of node.codeUrls || []) links.push([url, "code"]);
    return links;
  }

  // The content shared by a node's hover tooltip and its details panel.
  function describeNode(node, container, withLinks) {
    container.appendChild(element("div", "kg-title", node.name));
    if (node.type === "Paper") {
      const meta = ["Paper"];
      if (node.year !== undefined) meta.push(node.year);
      if (node.authors) {
        const shown = node.authors.slice(0, 3).join(", ");
        meta.push(node.authors.length > 3 ? shown + " et al." : shown);
      }
      container.appendChild(element("div", "kg-meta", meta.join(" \u00b7 ")));
      if (node.abstract) container.appendChild(element("p", null, node.abstract));
      const links = paperLinks(node);
      if (links.length) {
        const line = element("p", "kg-meta");
        links.forEach(([url, text], index) => {
          if (index) line.appendChild(document.createTextNode(" \u00b7 "));
          line.appendChild(withLinks ? safeLink(url, text) : element("span", null, text + ": " + url));
        });
        container.appendChild(line);
      }
    } else {
      container.appendChild(element("div", "kg-meta", typeName(node.type)));
      if (node.aliases) container.appendChild(element("p", null, "also: " + node.aliases.join(", ")));
      const uses = Object.entries(node.usedBy || {}).map(([relation, count]) => {
        const papers = count === 1 ? "1 paper" : count + " papers";
        return (RELATION_PHRASES[relation] || relation) + " " + papers;
      });
      if (uses.length) container.appendChild(element("p", null, uses.join("; ")));
    }
    return container;
  }

  function describeEdge(edge, container) {
    const from = data.nodeById.get(edge.from);
    const to = data.nodeById.get(edge.to);
    container.appendChild(element("div", "kg-title", edge.relation));
    container.appendChild(element("div", "kg-meta", from.name + " \u2192 " + to.name));
    if (edge.via) {
      const via = data.nodeById.get(edge.via);
      container.appendChild(element("p", "kg-meta", "via " + (via ? via.name : edge.via)));
    }
    if (edge.sentence) container.appendChild(element("blockquote", "kg-sentence", edge.sentence));
    const meta = [];
    if (edge.confidence !== undefined) meta.push("confidence " + Number(edge.confidence).toFixed(2));
    if (edge.rule) meta.push("rule " + edge.rule);
    if (meta.length) container.appendChild(element("div", "kg-meta", meta.join(" \u00b7 ")));
    return container;
  }

  data.nodeById = new Map(data.nodes.map((node) => [node.id, node]));

  function baseNodeColor(node) {
    const color = data.styles[node.type].color;
    return { background: color, border: color, highlight: { background: color, border: "#222" } };
  }

  const nodes = new vis.DataSet(
    data.nodes.map((node) => ({
      id: node.id,
      label: node.label,
      value: node.value,
      shape: data.styles[node.type].shape,
      color: baseNodeColor(node),
      kgType: node.type,
      title: describeNode(node, element("div", "kg-tip"), false),
    }))
  );
  const edges = new vis.DataSet(
    data.edges.map((edge) => ({
      id: edge.id,
      from: edge.from,
      to: edge.to,
      kgRelation: edge.relation,
      color: { color: data.relationColors[edge.relation] || "#999", opacity: 0.8 },
      title: describeEdge(edge, element("div", "kg-tip")),
    }))
  );

  const container = document.getElementById("graph");
  const network = new vis.Network(container, { nodes, edges }, data.options);
  const status = document.getElementById("status");
  const state = { hiddenTypes: new Set(), hiddenRelations: new Set(), focus: null };
  const kg = { network, nodes, edges, stabilized: false, stabilizationMs: null, focus: focusNode };
  const started = performance.now();

  network.on("stabilizationProgress", (params) => {
    status.textContent = "laying out\u2026 " + Math.round((100 * params.iterations) / params.total) + "%";
  });
  network.once("stabilizationIterationsDone", () => {
    // A settled layout stays put: nodes move only when dragged.
    network.setOptions({ physics: false });
    kg.stabilized = true;
    kg.stabilizationMs = Math.round(performance.now() - started);
    status.textContent = "";
  });

  // Visibility and colour of every node and edge follow from the filters and the focused node.
  function applyView() {
    const neighbours = state.focus === null ? null : new Set(network.getConnectedNodes(state.focus));
    if (neighbours) neighbours.add(state.focus);
    const nodeUpdates = [];
    for (const node of data.nodes) {
      const hidden = state.hiddenTypes.has(node.type);
      const dim = neighbours !== null && !neighbours.has(node.id);
      nodeUpdates.push({
        id: node.id,
        hidden,
        color: dim ? DIM_NODE : baseNodeColor(node),
        font: { color: dim ? "#c8c8c8" : "#222222" },
      });
    }
    nodes.update(nodeUpdates);
    const edgeUpdates = [];
    for (const edge of data.edges) {
      const hidden = state.hiddenRelations.has(edge.relation);
      const dim = state.focus !== null && edge.from !== state.focus && edge.to !== state.focus;
      const color = dim ? DIM_EDGE : data.relationColors[edge.relation] || "#999";
      edgeUpdates.push({ id: edge.id, hidden, color: { color, opacity: dim ? 0.5 : 0.8 } });
    }
    edges.update(edgeUpdates);
  }

  const details = document.getElementById("details");
  function showDetails(nodeId) {
    details.replaceChildren();
    if (nodeId === null) {
      details.hidden = true;
      return;
    }
    const node = data.nodeById.get(nodeId);
    describeNode(node, details, true);
    details.hidden = false;
  }

  function focusNode(nodeId) {
    state.focus = nodeId;
    applyView();
    showDetails(nodeId);
    if (nodeId !== null) network.selectNodes([nodeId]);
  }

  network.on("click", (params) => {
    if (params.nodes.length) {
      focusNode(params.nodes[0]);
      // An entity's papers and lineage, or a paper's links, open in the side panel.
      if (window.kg.views.entities[params.nodes[0]]) window.kg.showEntity(params.nodes[0]);
      else window.kg.showPaperNode(params.nodes[0]);
    } else if (!params.edges.length) {
      network.unselectAll();
      focusNode(null);
    }
  });

  // Search: every name and alias, case-insensitive.
  const searchIndex = window.kgDom.nameIndex();
  const suggestions = [];
  for (const node of data.nodes) {
    for (const name of [node.name].concat(node.aliases || [])) {
      if (searchIndex.add(name, node.id)) suggestions.push(name);
    }
  }
  const datalist = document.getElementById("search-names");
  for (const name of suggestions.sort()) {
    const option = document.createElement("option");
    option.value = name;
    datalist.appendChild(option);
  }
  const findNode = (query) => searchIndex.find(query);

  const search = document.getElementById("search");
  const searchMessage = document.getElementById("search-message");
  function runSearch() {
    const nodeId = findNode(search.value);
    searchMessage.textContent = nodeId === null && search.value.trim() ? "no node matches" : "";
    if (nodeId === null) return;
    const type = data.nodeById.get(nodeId).type;
    if (state.hiddenTypes.has(type)) {
      state.hiddenTypes.delete(type);
      document.querySelector('input[data-type="' + type + '"]').checked = true;
    }
    focusNode(nodeId);
    network.focus(nodeId, { scale: 1.5, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") runSearch();
  });

  for (const box of document.querySelectorAll("input[data-type]")) {
    box.addEventListener("change", () => {
      if (box.checked) state.hiddenTypes.delete(box.dataset.type);
      else state.hiddenTypes.add(box.dataset.type);
      applyView();
    });
  }
  for (const box of document.querySelectorAll("input[data-relation]")) {
    box.addEventListener("change", () => {
      if (box.checked) state.hiddenRelations.delete(box.dataset.relation);
      else state.hiddenRelations.add(box.dataset.relation);
      applyView();
    });
  }
  return kg;
};
