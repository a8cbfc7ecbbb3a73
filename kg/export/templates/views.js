// The page's views: overview (charts), entity map, lineage, search, and the side panel that
// lists the papers behind a number, an entity or a paper's links, each with its sentence.
"use strict";
(function () {
  const views = JSON.parse(document.getElementById("kg-views").textContent);
  const { element, safeLink } = window.kgDom;
  const kg = { ready: false, view: "overview", views, map: null, lineage: null, papers: null };
  window.kg = kg;

  const RELATION_HEADINGS = {
    introduces: "Introduced by",
    buildsOn: "Built on by",
    evaluatesOn: "Evaluated on by",
    trainedOn: "Trained on by",
    comparesWith: "Compared with by",
    usesModality: "Used by",
  };
  const RELATION_VERBS = {
    introduces: "introduces",
    buildsOn: "builds on",
    evaluatesOn: "evaluates on",
    trainedOn: "trains on",
    comparesWith: "compares with",
    usesModality: "uses",
  };
  const LABEL_PX = 13; // label height on screen, whatever the zoom
  const LINEAGE_SHOWN = 400; // models drawn in one lineage tree
  const LINEAGE_CHILDREN_SHOWN = 40; // models drawn under one parent; the rest fold into "+N more"
  const LINEAGE_MIN_SCALE = 0.6; // a tree too big to fit readably opens at its root instead
  const LINEAGE_LISTED = 60; // models listed in an entity panel's lineage
  const DIM = "#e4e4e4";
  const ENTITY_PAPERS_SHOWN = 50; // papers listed per relation in an entity's panel
  const SEARCH_SHOWN = 12; // search results listed under the box

  // Every paper -> entity link is a row of views.evidence, written by entity, relation and
  // newest paper first: an entity's links are one run of rows, entity.links = [first, count].
  function entityLinks(id) {
    const [first, count] = views.entities[id].links;
    const relations = {};
    for (let row = first; row < first + count; row++) {
      const relation = views.evidence[row][1];
      (relations[relation] = relations[relation] || []).push(row);
    }
    return relations;
  }
  // A paper's links, from the same rows; indexed on the first paper panel.
  let paperLinkRows = null;
  function paperLinks(paperIndex) {
    if (paperLinkRows === null) {
      paperLinkRows = new Map();
      views.evidence.forEach((evidence, row) => {
        const rows = paperLinkRows.get(evidence[0]);
        if (rows) rows.push(row);
        else paperLinkRows.set(evidence[0], [row]);
      });
    }
    return paperLinkRows.get(paperIndex) || [];
  }

  // ---- tabs -------------------------------------------------------------------------
  function show(view) {
    kg.view = view;
    for (const tab of document.querySelectorAll("#tabs [data-view]")) {
      tab.setAttribute("aria-selected", String(tab.dataset.view === view));
    }
    for (const section of document.querySelectorAll("main .view")) {
      section.hidden = section.id !== "view-" + view;
    }
    if (view === "map" && !kg.map) startMap();
    if (view === "lineage" && !kg.lineage) drawLineage(views.lineage.default);
    if (view === "papers" && !kg.papers) kg.papers = window.kgStartPaperGraph();
  }
  kg.show = show;
  for (const tab of document.querySelectorAll("#tabs [data-view]")) {
    tab.addEventListener("click", () => show(tab.dataset.view));
  }

  // ---- side panel -------------------------------------------------------------------
  const side = document.getElementById("side");
  const sideContent = document.getElementById("side-content");
  document.getElementById("side-close").addEventListener("click", () => {
    side.hidden = true;
  });

  function openSide(...children) {
    sideContent.replaceChildren(...children);
    side.hidden = false;
    side.scrollTop = 0;
  }

  // The label, with what tells it apart when other entities share it (SAM, ICP, ...).
  function entityName(id) {
    const entity = views.entities[id];
    if (!entity) return id;
    return entity.sense ? entity.label + " (" + entity.sense + ")" : entity.label;
  }
  kg.entityName = entityName;

  function entityButton(id, text) {
    const button = element("button", "entity-link", text || entityName(id));
    button.type = "button";
    button.dataset.entity = id;
    button.addEventListener("click", () => showEntity(id));
    return button;
  }

  function paperTitle(paperIndex) {
    const [, title, year, url] = views.papers[paperIndex];
    const line = element("div", "paper-title");
    line.appendChild(url ? safeLink(url, title) : element("span", null, title));
    if (year !== null) line.appendChild(element("span", "year", " (" + year + ")"));
    const links = element("button", "entity-link paper-links-button", "its links");
    links.type = "button";
    links.addEventListener("click", () => showPaper(paperIndex));
    line.append(" ", links);
    return line;
  }

  // One paper with the sentences that link it (rows of evidence indices).
  function paperItem(evidenceIndices, withRelation) {
    const item = element("li", "paper");
    item.appendChild(paperTitle(views.evidence[evidenceIndices[0]][0]));
    for (const index of evidenceIndices) {
      const [, relation, entity, sentence] = views.evidence[index];
      if (withRelation) {
        const verb = RELATION_VERBS[relation] || relation;
        item.appendChild(element("div", "kg-meta", verb + " " + entityName(entity) + ":"));
      }
      item.appendChild(element("blockquote", "kg-sentence", views.sentences[sentence]));
    }
    return item;
  }

  function paperList(rows, total, withRelation) {
    const list = element("ol", "papers");
    for (const row of rows) list.appendChild(paperItem(row, withRelation));
    const parts = [list];
    if (total > rows.length) {
      parts.unshift(element("p", "hint", "showing the " + rows.length + " newest of " + total));
    }
    return parts;
  }

  function showItem(mark) {
    const item = views.items[mark];
    if (!item) return;
    const heading = element("h2", null, item.title);
    const count = element("p", "count-line", item.count + (item.count === 1 ? " paper" : " papers"));
    const parts = [heading, count];
    if (item.entity) {
      const actions = element("p", "actions");
      actions.appendChild(entityButton(item.entity, "panel of " + entityName(item.entity)));
      if (isModel(item.entity)) actions.appendChild(lineageButton(item.entity));
      parts.push(actions);
    }
    const withRelation = item.rows.length > 0 && item.rows[0].length > 1;
    openSide(...parts, ...paperList(item.rows, item.count, withRelation));
    kg.sideItem = mark;
  }
  kg.showItem = showItem;

  function isModel(id) {
    const entity = views.entities[id];
    return entity && (entity.type === "Model" || entity.type === "BaseModel");
  }

  function lineageButton(id) {
    const button = element("button", "entity-link", "lineage tree");
    button.type = "button";
    button.addEventListener("click", () => openLineage(id));
    return button;
  }

  function showEntity(id) {
    const entity = views.entities[id];
    if (!entity) return;
    const parts = [element("h2", null, entity.label)];
    if (entity.sense) parts.push(element("p", "sense", entity.sense));
    const kind = entity.type === "BaseModel" ? "Model (base model)" : entity.type;
    parts.push(element("div", "kg-meta", kind));
    if (entity.aliases) parts.push(element("p", null, "also: " + entity.aliases.join(", ")));
    const actions = element("p", "actions");
    if (isModel(id)) actions.appendChild(lineageButton(id));
    if (mapNodeIds.has(id)) {
      const button = element("button", "entity-link", "on the map");
      button.type = "button";
      button.addEventListener("click", () => {
        show("map");
        focusMap(id);
      });
      actions.appendChild(button);
    }
    if (actions.childElementCount) parts.push(actions);
    if (isModel(id)) parts.push(...lineageList(id));
    const links = entityLinks(id);
    for (const relation of Object.keys(RELATION_HEADINGS)) {
      const rows = links[relation] || [];
      if (!rows.length) continue;
      parts.push(element("h3", null, RELATION_HEADINGS[relation] + " (" + rows.length + ")"));
      const shown = rows.slice(0, ENTITY_PAPERS_SHOWN).map((row) => [row]);
      parts.push(...paperList(shown, rows.length, false));
    }
    openSide(...parts);
    kg.sideEntity = id;
    kg.sidePaper = null;
  }
  kg.showEntity = showEntity;

  // A paper's panel: its title, year and address, and every entity it links to, each
  // with its sentence (an entity opens its own panel).
  function showPaper(paperIndex) {
    const [, title, year, url] = views.papers[paperIndex];
    const parts = [element("h2", null, title)];
    const meta = ["Paper"];
    if (year !== null) meta.push(year);
    parts.push(element("div", "kg-meta", meta.join(" \u00b7 ")));
    if (url) {
      const address = element("p");
      address.appendChild(safeLink(url));
      parts.push(address);
    }
    const rows = paperLinks(paperIndex);
    parts.push(element("h3", null, "Links (" + rows.length + ")"));
    const list = element("ul", "paper-links");
    for (const row of rows) {
      const [, relation, entity, sentence] = views.evidence[row];
      const item = element("li");
      item.appendChild(element("span", "kg-meta", (RELATION_VERBS[relation] || relation) + " "));
      item.appendChild(entityButton(entity));
      item.appendChild(element("blockquote", "kg-sentence", views.sentences[sentence]));
      list.appendChild(item);
    }
    parts.push(list);
    openSide(...parts);
    kg.sidePaper = paperIndex;
    kg.sideEntity = null;
  }
  kg.showPaper = showPaper;
  const paperPositions = new Map(views.papers.map((paper, position) => [paper[0], position]));
  // The "All papers" view opens a clicked paper's panel by its node id.
  kg.showPaperNode = (id) => {
    if (paperPositions.has(id)) showPaper(paperPositions.get(id));
  };

  // ---- lineage ------------------------------------------------------------------------
  // Breadth first over each model's children (already in visiting order): the walk of
  // kg.analysis.lineage, so the page and the Python agree on the tree.
  function lineageTree(root) {
    const tree = [{ node: root, generation: 0, parent: null, paper: null }];
    const seen = new Set([root]);
    let frontier = [root];
    let generation = 0;
    while (frontier.length) {
      generation += 1;
      const following = [];
      for (const parent of frontier) {
        for (const [child, paper] of views.lineage.children[parent] || []) {
          if (seen.has(child)) continue;
          seen.add(child);
          tree.push({ node: child, generation, parent, paper });
          following.push(child);
        }
      }
      frontier = following;
    }
    return tree;
  }
  kg.lineageTree = lineageTree;

  function lineageList(id) {
    const tree = lineageTree(id);
    const heading = element("h3", null, "Lineage: " + (tree.length - 1) + " models built on it");
    if (tree.length === 1) return [heading];
    const list = element("ul", "lineage-list");
    for (const entry of tree.slice(1, LINEAGE_LISTED + 1)) {
      const item = element("li");
      item.style.marginLeft = (entry.generation - 1) * 12 + "px";
      item.appendChild(element("span", "generation", "gen " + entry.generation + " "));
      item.appendChild(entityButton(entry.node));
      const year = views.papers[entry.paper][2];
      if (year !== null) item.appendChild(element("span", "year", " " + year));
      list.appendChild(item);
    }
    const parts = [heading, list];
    if (tree.length - 1 > LINEAGE_LISTED) {
      parts.push(element("p", "hint", "first " + LINEAGE_LISTED + " listed; the tree shows them all"));
    }
    return parts;
  }

  const rootSelect = document.getElementById("lineage-root");
  for (const [node, descendants] of views.lineage.roots) {
    const option = element("option", null, entityName(node) + " (" + descendants + ")");
    option.value = node;
    rootSelect.appendChild(option);
  }
  rootSelect.addEventListener("change", () => drawLineage(rootSelect.value));

  function openLineage(id) {
    show("lineage");
    drawLineage(id);
    showEntity(id);
  }
  kg.openLineage = openLineage;

  function drawLineage(root) {
    const caption = document.getElementById("lineage-caption");
    if (!root) {
      caption.textContent = "No paper in this graph introduces a model built on another.";
      kg.lineage = { network: null, root: null, tree: [] };
      return;
    }
    if (![...rootSelect.options].some((option) => option.value === root)) {
      const option = element("option", null, entityName(root) + " (0)");
      option.value = root;
      rootSelect.appendChild(option);
    }
    rootSelect.value = root;
    const tree = lineageTree(root);
    const { drawn, folded } = drawnTree(tree);
    const generations = tree[tree.length - 1].generation;
    caption.textContent =
      tree.length === 1
        ? "no model in this graph is introduced building on " + entityName(root)
        : tree.length - 1 + " models in " + generations + " generations" +
          (drawn.length < tree.length ? " (" + (drawn.length - 1) + " drawn, the rest folded)" : "") +
          "; click a model for its papers, double-click to root the tree there";
    const nodes = drawn.map((entry) => {
      const entity = views.entities[entry.node] || { label: entry.node, type: "Model" };
      const year = entry.paper === null ? null : views.papers[entry.paper][2];
      return {
        id: entry.node,
        label: entityName(entry.node) + (year !== null ? " \u00b7 " + year : ""),
        level: entry.generation,
        shape: "box",
        color: {
          background: entry.generation === 0 ? "#e15759" : "#fde9d4",
          border: views.styles[entity.type] ? views.styles[entity.type].color : "#f28e2b",
        },
        font: { color: entry.generation === 0 ? "#ffffff" : "#222222", size: 14 },
        title: lineageTip(entry),
      };
    });
    const generationOf = new Map(drawn.map((entry) => [entry.node, entry.generation]));
    for (const [parent, count] of folded) {
      nodes.push({
        id: "more:" + parent,
        label: "+" + count + " more",
        level: generationOf.get(parent) + 1,
        shape: "box",
        color: { background: "#f4f4f4", border: "#bbbbbb" },
        font: { color: "#555555", size: 14 },
        title: element("div", "kg-tip", count + " more models built on " + entityName(parent) + ": see its panel"),
      });
    }
    const moreEdges = [...folded.keys()].map((parent) => ({
      id: parent + ">more",
      from: parent,
      to: "more:" + parent,
      arrows: "to",
      dashes: true,
      color: { color: "#bbbbbb" },
    }));
    const edges = drawn.slice(1).map((entry) => ({
      id: entry.parent + ">" + entry.node,
      from: entry.parent,
      to: entry.node,
      arrows: "to",
      color: { color: "#f28e2b" },
      title: lineageTip(entry),
    })).concat(moreEdges);
    const options = {
      layout: {
        hierarchical: {
          enabled: true,
          direction: "LR",
          sortMethod: "directed",
          levelSeparation: 230,
          nodeSpacing: 26,
          treeSpacing: 40,
          shakeTowards: "roots",
        },
      },
      physics: false,
      interaction: { hover: true, tooltipDelay: 150 },
      edges: { smooth: { type: "cubicBezier", forceDirection: "horizontal", roundness: 0.4 } },
    };
    const container = document.getElementById("lineage-canvas");
    if (!kg.lineage || !kg.lineage.network) {
      const network = new vis.Network(container, { nodes, edges }, options);
      const modelOf = (id) => (id.startsWith("more:") ? id.slice(5) : id);
      network.on("click", (params) => {
        if (params.nodes.length) showEntity(modelOf(params.nodes[0]));
      });
      network.on("doubleClick", (params) => {
        if (params.nodes.length) drawLineage(modelOf(params.nodes[0]));
      });
      kg.lineage = { network, root, tree };
    } else {
      kg.lineage.network.setData({ nodes, edges });
      kg.lineage.root = root;
      kg.lineage.tree = tree;
    }
    kg.lineage.drawn = drawn.map((entry) => entry.node);
    const network = kg.lineage.network;
    network.fit();
    if (network.getScale() < LINEAGE_MIN_SCALE) {
      const width = document.getElementById("lineage-canvas").clientWidth;
      const start = network.getPosition(root);
      const position = { x: start.x + (width / 2 - 60) / LINEAGE_MIN_SCALE, y: start.y };
      network.moveTo({ position, scale: LINEAGE_MIN_SCALE });
    }
  }

  // What a tree draws: its first LINEAGE_SHOWN models, at most LINEAGE_CHILDREN_SHOWN under
  // one parent; `folded` counts, per parent, the children left out (the panel lists them).
  function drawnTree(tree) {
    const drawn = [tree[0]];
    const kept = new Set([tree[0].node]);
    const shown = new Map();
    const folded = new Map();
    for (const entry of tree.slice(1)) {
      if (!kept.has(entry.parent)) continue;
      const siblings = shown.get(entry.parent) || 0;
      if (siblings >= LINEAGE_CHILDREN_SHOWN || drawn.length >= LINEAGE_SHOWN) {
        folded.set(entry.parent, (folded.get(entry.parent) || 0) + 1);
        continue;
      }
      shown.set(entry.parent, siblings + 1);
      drawn.push(entry);
      kept.add(entry.node);
    }
    return { drawn, folded };
  }

  function lineageTip(entry) {
    const tip = element("div", "kg-tip");
    tip.appendChild(element("div", "kg-title", entityName(entry.node)));
    if (entry.paper === null) {
      tip.appendChild(element("div", "kg-meta", "the root of this tree"));
      return tip;
    }
    const [, title, year] = views.papers[entry.paper];
    tip.appendChild(
      element("div", "kg-meta", "generation " + entry.generation + ", built on " + entityName(entry.parent))
    );
    tip.appendChild(element("p", null, "introduced by: " + title + (year !== null ? " (" + year + ")" : "")));
    return tip;
  }

  // ---- entity map ---------------------------------------------------------------------
  const mapNodeIds = new Set(views.map.nodes.map((node) => node.id));
  const mapNeighbours = new Map(views.map.nodes.map((node) => [node.id, new Set()]));
  for (const edge of views.map.edges) {
    mapNeighbours.get(edge.from).add(edge.to);
    mapNeighbours.get(edge.to).add(edge.from);
  }

  function mapTip(node) {
    const tip = element("div", "kg-tip");
    tip.appendChild(element("div", "kg-title", entityName(node.id)));
    const kind = node.type === "BaseModel" ? "base model" : node.type;
    tip.appendChild(element("div", "kg-meta", kind + " \u00b7 " + node.papers + " papers \u00b7 community " + (node.community + 1)));
    return tip;
  }

  function startMap() {
    const nodes = new vis.DataSet(
      views.map.nodes.map((node) => ({
        id: node.id,
        x: node.x,
        y: node.y,
        value: node.papers,
        label: "",
        shape: views.styles[node.type].shape,
        color: { background: node.color, border: node.color },
        title: mapTip(node),
      }))
    );
    const edges = new vis.DataSet(
      views.map.edges.map((edge, index) => ({
        id: "m" + index,
        from: edge.from,
        to: edge.to,
        value: edge.papers,
        title: edge.papers + (edge.papers === 1 ? " paper links" : " papers link") + " to both",
        color: { color: "#b8b8b8", opacity: 0.6 },
      }))
    );
    const options = {
      physics: false,
      layout: { improvedLayout: false },
      nodes: {
        scaling: { min: 6, max: 42 },
        font: { face: "sans-serif", size: LABEL_PX, strokeWidth: 4, strokeColor: "#ffffff", color: "#222222" },
        borderWidth: 1,
      },
      edges: { smooth: false, scaling: { min: 1, max: 8 } },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true },
    };
    const network = new vis.Network(document.getElementById("map-canvas"), { nodes, edges }, options);
    kg.map = { network, nodes, edges, labelled: [], focus: null, settled: false };
    network.fit();
    placeLabels();
    kg.map.settled = true;
    let pending = null;
    network.on("zoom", () => {
      clearTimeout(pending);
      pending = setTimeout(placeLabels, 120);
    });
    network.on("dragEnd", () => placeLabels());
    network.on("click", (params) => {
      if (params.nodes.length) {
        highlightMap(params.nodes[0]);
        showEntity(params.nodes[0]);
      } else if (!params.edges.length) {
        highlightMap(null);
      }
    });
  }

  // Labels that fit without overlap: biggest hubs first (the focused neighbourhood before
  // them), each label kept only where its box meets no box already placed.
  const measure = document.createElement("canvas").getContext("2d");
  function placeLabels() {
    const map = kg.map;
    const scale = map.network.getScale();
    const box = document.getElementById("map-canvas").getBoundingClientRect();
    measure.font = LABEL_PX + "px sans-serif";
    const first = map.focus === null ? new Set() : new Set([map.focus, ...mapNeighbours.get(map.focus)]);
    const order = views.map.nodes
      .slice()
      .sort((a, b) => (first.has(b.id) - first.has(a.id)) || (b.papers - a.papers) || (a.label < b.label ? -1 : 1));
    const maxPapers = Math.max(...views.map.nodes.map((n) => n.papers));
    const minPapers = Math.min(...views.map.nodes.map((n) => n.papers));
    // Every node's shape is an obstacle too, so no label covers another node.
    const shapes = new Map();
    for (const node of views.map.nodes) {
      const centre = map.network.canvasToDOM(map.network.getPosition(node.id));
      // vis-network's value scaling: radius between scaling.min and scaling.max.
      const ratio = maxPapers === minPapers ? 0.5 : (node.papers - minPapers) / (maxPapers - minPapers);
      const radius = (6 + ratio * 36) * scale;
      shapes.set(node.id, {
        x: centre.x,
        y: centre.y,
        radius,
        left: centre.x - radius,
        right: centre.x + radius,
        top: centre.y - radius,
        bottom: centre.y + radius,
      });
    }
    const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const placed = [];
    const updates = [];
    const fits = (label, nodeId) =>
      label.left >= 0 && label.top >= 0 && label.right <= box.width && label.bottom <= box.height &&
      !placed.some((other) => overlaps(label, other)) &&
      ![...shapes].some(([id, other]) => id !== nodeId && overlaps(label, other));
    for (const node of order) {
      const shape = shapes.get(node.id);
      const text = entityName(node.id);
      const width = measure.measureText(text).width + 4;
      const below = {
        left: shape.x - width / 2,
        right: shape.x + width / 2,
        top: shape.y + shape.radius + 1,
        bottom: shape.y + shape.radius + 3 + LABEL_PX,
      };
      // Below the node as vis-network draws it; else above it (moved up by vadjust).
      const above = Object.assign({}, below, {
        top: shape.y - shape.radius - 3 - LABEL_PX,
        bottom: shape.y - shape.radius - 1,
      });
      const label = [below, above].find((candidate) => fits(candidate, node.id));
      if (label) placed.push(Object.assign({ id: node.id }, label));
      const lift = label === above ? -(2 * shape.radius + LABEL_PX + 4) / scale : 0;
      updates.push({ id: node.id, label: label ? text : "", font: { size: LABEL_PX / scale, vadjust: lift } });
    }
    map.nodes.update(updates);
    map.labelled = placed;
  }
  kg.placeLabels = () => placeLabels();

  function highlightMap(id) {
    const map = kg.map;
    map.focus = id;
    const near = id === null ? null : new Set([id, ...mapNeighbours.get(id)]);
    map.nodes.update(
      views.map.nodes.map((node) => {
        const dim = near !== null && !near.has(node.id);
        const color = dim ? DIM : node.color;
        return { id: node.id, color: { background: color, border: color } };
      })
    );
    map.edges.update(
      views.map.edges.map((edge, index) => {
        const dim = id !== null && edge.from !== id && edge.to !== id;
        return { id: "m" + index, color: { color: dim ? "#eeeeee" : "#9a9a9a", opacity: dim ? 0.4 : 0.8 } };
      })
    );
    if (id !== null) map.network.selectNodes([id]);
    else map.network.unselectAll();
    placeLabels();
  }

  // Zoom to a node and its neighbours, then label them first.
  function focusMap(id) {
    if (!kg.map) startMap();
    highlightMap(id);
    const map = kg.map;
    map.network.once("animationFinished", () => {
      placeLabels();
      map.focusDone = id;
    });
    map.network.fit({ nodes: [id, ...mapNeighbours.get(id)], animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
  kg.focusMap = focusMap;

  // ---- search over entities and papers --------------------------------------------------
  // Every entity by label and alias, every linked paper by title; the results list tells
  // same-named entities apart, Enter opens the first. The index is built on the first
  // search, so the page opens without that cost.
  let targets = null;
  let searchIndex = null;
  kg.search = (text) => {
    if (searchIndex === null) {
      targets = Object.keys(views.entities)
        .sort()
        .map((id) => {
          const entity = views.entities[id];
          return { names: [entity.label].concat(entity.aliases || []), weight: entity.papers, entity: id };
        })
        .concat(views.papers.map((paper, position) => ({ names: [paper[1]], weight: 0, paper: position })));
      searchIndex = window.kgSearch.index(targets);
    }
    return searchIndex.find(text, SEARCH_SHOWN);
  };

  const search = document.getElementById("entity-search");
  const searchMessage = document.getElementById("entity-search-message");
  const results = document.getElementById("entity-results");

  function openTarget(target) {
    results.hidden = true;
    if (target.paper !== undefined) {
      showPaper(target.paper);
      return;
    }
    if (mapNodeIds.has(target.entity)) {
      show("map");
      focusMap(target.entity);
    }
    showEntity(target.entity);
  }

  function resultItem(target) {
    const item = element("li");
    const button = element("button", "result");
    button.type = "button";
    if (target.paper !== undefined) {
      const [, title, year] = views.papers[target.paper];
      button.appendChild(element("span", "result-name", title));
      button.appendChild(element("span", "kg-meta", " paper" + (year !== null ? " \u00b7 " + year : "")));
    } else {
      const entity = views.entities[target.entity];
      button.appendChild(element("span", "result-name", entity.label));
      if (entity.sense) button.appendChild(element("span", "sense", " " + entity.sense));
      const kind = entity.type === "BaseModel" ? "base model" : entity.type.toLowerCase();
      const papers = target.weight === 1 ? "1 paper" : target.weight + " papers";
      button.appendChild(element("span", "kg-meta", " " + kind + " \u00b7 " + papers));
    }
    button.addEventListener("click", () => openTarget(target));
    item.appendChild(button);
    return item;
  }

  function listResults() {
    const found = kg.search(search.value);
    searchMessage.textContent = !found.total && search.value.trim() ? "nothing matches" : "";
    const items = found.hits.map((hit) => resultItem(targets[hit]));
    if (found.total > found.hits.length) {
      items.push(element("li", "hint", found.total - found.hits.length + " more match; type more"));
    }
    results.replaceChildren(...items);
    results.hidden = items.length === 0;
    return found;
  }
  search.addEventListener("input", listResults);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const found = listResults();
      if (found.hits.length) openTarget(targets[found.hits[0]]);
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  document.addEventListener("click", (event) => {
    if (!results.contains(event.target) && event.target !== search) results.hidden = true;
  });

  // ---- overview -----------------------------------------------------------------------
  // A bar, cell or point lists its papers; a name in a ranked chart opens the entity
  // (a model straight in its lineage).
  for (const mark of document.querySelectorAll("svg.chart [id^='kg-']")) {
    const name = /^kg-(\w+)-name-(\d+)$/.exec(mark.id);
    if (name) {
      const id = views.tops[name[1]][Number(name[2])][0];
      mark.addEventListener("click", () => (isModel(id) ? openLineage(id) : showEntity(id)));
    } else if (views.items[mark.id]) {
      mark.classList.add("mark");
      mark.addEventListener("click", () => showItem(mark.id));
    }
  }

  kg.ready = true;
})();
