// Hippo graph explorer: asks the API (with the key the user typed, if the server wants one) and
// draws the subgraph behind a query or a synthesised record with cytoscape.js.
"use strict";

(function () {
  const KEY_STORAGE = "hippo.apiKey";
  const $ = (id) => document.getElementById(id);
  const state = {
    apiKey: sessionStorage.getItem(KEY_STORAGE) || "",
    namespace: "",
    pendingRetry: null, // the call to repeat once the user gives a key
    records: [],
    lastGraph: null,
  };

  class AuthNeeded extends Error {}

  function setStatus(text, kind) {
    const el = $("status");
    el.textContent = text;
    el.className = kind || "";
  }

  function setPageState(value) {
    document.body.dataset.state = value; // read by the browser test and handy when debugging
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // --- the API ----------------------------------------------------------------------------------
  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (state.apiKey) headers.Authorization = "Bearer " + state.apiKey;
    const reply = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    try { data = await reply.json(); } catch (_) { data = null; }
    if (reply.status === 401) {
      askForKey(state.apiKey ? "That key was not accepted." : "This server needs an API key.");
      throw new AuthNeeded((data && data.detail) || "an API key is required");
    }
    if (!reply.ok) {
      const detail = data && data.detail ? data.detail : reply.statusText;
      throw new Error(`${reply.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
    }
    return data;
  }

  function nsPath(suffix) {
    return `/v1/namespaces/${encodeURIComponent(state.namespace)}${suffix}`;
  }

  async function guarded(action) {
    try {
      await action();
    } catch (err) {
      if (err instanceof AuthNeeded) {
        state.pendingRetry = action;
        setStatus("Enter an API key to continue.", "error");
      } else {
        setStatus(String(err.message || err), "error");
      }
      setPageState("error");
    }
  }

  function askForKey(message) {
    $("key-box").hidden = false;
    $("key-message").textContent = message;
    $("api-key").focus();
  }

  $("key-box").addEventListener("submit", (event) => {
    event.preventDefault();
    state.apiKey = $("api-key").value.trim();
    sessionStorage.setItem(KEY_STORAGE, state.apiKey);
    $("key-message").textContent = "";
    setPageState("loading");
    const retry = state.pendingRetry || loadNamespaces;
    state.pendingRetry = null;
    guarded(async () => {
      await loadNamespaces();
      if (retry !== loadNamespaces) await retry();
    });
  });

  // --- namespaces -------------------------------------------------------------------------------
  async function loadNamespaces() {
    const data = await api("GET", "/v1/namespaces");
    const select = $("namespace");
    const previous = state.namespace || new URLSearchParams(location.search).get("ns") || "default";
    select.replaceChildren();
    const names = data.namespaces.length ? data.namespaces : ["default"];
    for (const name of names) select.append(el("option", { value: name }, name));
    state.namespace = names.includes(previous) ? previous : names[0];
    select.value = state.namespace;
    if (!data.namespaces.length) setStatus("The store has no namespaces yet: index documents first (hippo index …).");
    else setStatus("");
    setPageState("idle");
  }

  $("namespace").addEventListener("change", (event) => { state.namespace = event.target.value; });

  // --- tabs -------------------------------------------------------------------------------------
  for (const button of document.querySelectorAll(".tabs button")) {
    button.addEventListener("click", () => {
      for (const other of document.querySelectorAll(".tabs button")) other.classList.toggle("active", other === button);
      $("query-panel").hidden = button.dataset.tab !== "query";
      $("provenance-panel").hidden = button.dataset.tab !== "provenance";
    });
  }

  // --- the drawing ------------------------------------------------------------------------------
  const cy = cytoscape({
    container: $("graph"),
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      { selector: "node", style: {
        label: "data(label)", width: "data(size)", height: "data(size)", "font-size": 11,
        "text-wrap": "wrap", "text-max-width": 130, "text-valign": "bottom", "text-margin-y": 3,
        color: "#1d2430", "text-outline-color": "#fff", "text-outline-width": 2,
        "background-color": "#4f7cac", "border-width": 1, "border-color": "#2f4f73" } },
      { selector: "node[kind = 'passage']", style: {
        shape: "round-rectangle", "background-color": "#e0a458", "border-color": "#a8742e" } },
      { selector: "node.context", style: { opacity: 0.55 } },
      { selector: "node.seed", style: { "border-width": 5, "border-color": "#c0392b" } },
      { selector: "node.highlight", style: { "border-width": 5, "border-color": "#16a085" } },
      { selector: "node.onpath", style: { "border-width": 5, "border-color": "#d35400" } },
      { selector: "node:selected", style: { "overlay-color": "#d35400", "overlay-opacity": 0.18 } },
      { selector: "edge", style: {
        width: 1.5, "curve-style": "bezier", "line-color": "#555", "font-size": 9, color: "#475467",
        "text-rotation": "autorotate", "text-outline-color": "#fff", "text-outline-width": 2 } },
      { selector: "edge[kind = 'relation']", style: {
        label: "data(label)", "target-arrow-shape": "triangle", "target-arrow-color": "#555", "arrow-scale": 0.8 } },
      { selector: "edge[kind = 'synonymy']", style: { "line-style": "dashed", "line-color": "#8e44ad" } },
      { selector: "edge[kind = 'mention']", style: { "line-style": "dotted", "line-color": "#98a2b3", width: 1.2 } },
      { selector: "edge.marked", style: { width: 4, "line-color": "#16a085", "target-arrow-color": "#16a085" } },
      { selector: "edge.onpath", style: { width: 5, "line-color": "#d35400", "target-arrow-color": "#d35400" } },
    ],
  });

  function nodeSize(node, graph, maxMass) {
    if (graph.ppr && maxMass > 0 && node.mass > 0) return 18 + 52 * Math.sqrt(node.mass / maxMass);
    return node.kind === "passage" ? 30 : 24;
  }

  function nodeLabel(node) {
    if (node.kind === "passage" && node.rank) return `#${node.rank} ${node.label}`;
    return node.label;
  }

  function draw(graph) {
    state.lastGraph = graph;
    const maxMass = Math.max(0, ...graph.nodes.map((n) => n.mass || 0));
    const elements = [];
    for (const node of graph.nodes) {
      const classes = [...node.roles];
      if (node.roles.includes("provenance")) classes.push("highlight");
      elements.push({ group: "nodes", classes, data: { ...node, label: nodeLabel(node), size: nodeSize(node, graph, maxMass) } });
    }
    for (const edge of graph.edges) {
      elements.push({ group: "edges", classes: [edge.kind, edge.marked ? "marked" : ""].filter(Boolean), data: { ...edge } });
    }
    cy.elements().remove();
    cy.add(elements);
    cy.layout({ name: "cose", animate: false, fit: true, padding: 40, nodeRepulsion: () => 12000,
      nodeOverlap: 40, idealEdgeLength: () => 90, componentSpacing: 60, randomize: true }).run();
    // a handful of nodes would otherwise be blown up to fill the panel
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
    $("size-note").textContent = graph.ppr ? "node size: PPR mass" : "node size: uniform (no PageRank)";
  }

  // the chain of edges from the nearest seed entity to a passage, found on the drawn subgraph
  function highlightPath(passageId) {
    cy.elements().removeClass("onpath");
    const target = cy.getElementById(passageId);
    if (target.empty()) return null;
    let best = null;
    for (const seed of cy.nodes(".seed").toArray()) {
      const search = cy.elements().dijkstra({ root: seed, weight: (edge) => (edge.hasClass("mention") ? 1 : 0.9) });
      const distance = search.distanceTo(target);
      if (Number.isFinite(distance) && (best === null || distance < best.distance)) best = { distance, path: search.pathTo(target) };
    }
    if (best) best.path.addClass("onpath");
    target.addClass("onpath");
    return best ? best.path.nodes().map((n) => n.data("label")) : null;
  }

  // --- query view -------------------------------------------------------------------------------
  function renderExplanation(explanation) {
    const box = $("explanation");
    box.replaceChildren();
    if (explanation.fallback) box.append(el("p", { class: "note" }, "Fallback: " + explanation.fallback));
    if (explanation.reason) box.append(el("p", { class: "note" }, explanation.reason));
    const seeds = explanation.seed_entities || [];
    if (seeds.length) {
      box.append(el("h2", {}, "Seed entities"));
      box.append(el("div", { class: "chips" }, ...seeds.map((s) => el("span", { class: "chip seed", title: `weight ${s.weight}` }, s.name))));
    }
    const facts = explanation.linked_facts || [];
    if (facts.length) {
      box.append(el("h2", {}, "Linked facts"));
      box.append(el("ul", { class: "facts" }, ...facts.map((f) => el("li", {}, f.text, el("span", { class: "score" }, Number(f.score).toFixed(3))))));
    }
    const sentences = explanation.top_sentences || [];
    if (sentences.length) {
      box.append(el("h2", {}, "Linking sentences"));
      box.append(el("ul", { class: "facts" }, ...sentences.map((t) => el("li", {}, t))));
    }
    const linkedEntities = explanation.linked_entities || [];
    if (linkedEntities.length) {
      box.append(el("h2", {}, "Query entities"));
      box.append(el("ul", { class: "facts" }, ...linkedEntities.map((l) => el("li", {}, `${l.phrase} → ${l.entity}`, el("span", { class: "score" }, Number(l.similarity).toFixed(3))))));
    }
    const top = explanation.top_entities_by_ppr || [];
    if (top.length) {
      box.append(el("h2", {}, "Top entities by PPR mass"));
      box.append(el("div", { class: "chips" }, ...top.map((t) => el("span", { class: "chip", title: `mass ${t.mass}` }, `${t.name} ${Number(t.mass).toFixed(3)}`))));
    }
  }

  function selectHit(passageId) {
    for (const li of $("hits").children) li.classList.toggle("selected", li.dataset.passageId === passageId);
    const chain = highlightPath(passageId);
    const node = cy.getElementById(passageId);
    if (!node.empty()) showDetails(node);
    if (chain) setStatus("Path: " + chain.join(" → "));
  }

  function renderHits(hits) {
    const list = $("hits");
    list.replaceChildren();
    $("hits-title").hidden = hits.length === 0;
    hits.forEach((hit, i) => {
      const li = el("li", { "data-passage-id": hit.passage_id },
        el("div", { class: "hit-head" }, el("span", {}, `#${i + 1} ${hit.title || hit.doc_id}`), el("span", { class: "score" }, hit.score.toFixed(4))),
        el("div", { class: "hit-text" }, hit.text));
      li.addEventListener("click", () => selectHit(hit.passage_id));
      list.append(li);
    });
  }

  async function runQuery() {
    const text = $("query").value.trim();
    if (!text) { setStatus("Type a question first.", "error"); return; }
    setPageState("loading");
    setStatus("Asking…");
    const body = { query: text, top_k: Number($("top-k").value) || 5 };
    if ($("mode").value) body.mode = $("mode").value;
    const result = await api("POST", nsPath("/explore/query"), body);
    window.hippoExplorer.lastResult = result;
    renderExplanation(result.explanation);
    renderHits(result.hits);
    draw(result.graph);
    if (result.hits.length) selectHit(result.hits[0].passage_id);
    if (!result.hits.length) setStatus("No passages: " + (result.explanation.reason || "nothing matched"));
    setPageState("done");
  }

  $("query-form").addEventListener("submit", (event) => { event.preventDefault(); guarded(runQuery); });
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); guarded(runQuery); }
  });

  // --- node details -----------------------------------------------------------------------------
  async function showDetails(node) {
    const data = node.data();
    const box = $("details");
    const heading = el("h3", {}, `${data.kind === "passage" ? "Passage" : "Entity"}: ${data.kind === "passage" ? data.label.replace(/^#\d+ /, "") : data.label}`);
    const facts = [];
    if (data.mass !== null && data.mass !== undefined) facts.push(`PPR mass ${Number(data.mass).toFixed(4)}`);
    if (data.roles && data.roles.length) facts.push("role: " + data.roles.join(", "));
    box.replaceChildren(heading, el("div", { class: "note" }, facts.join(" · ")), el("p", { class: "hint" }, "Loading…"));
    box.dataset.nodeId = data.id;
    const param = data.kind === "passage" ? "passage" : "entity";
    const sub = await api("GET", nsPath(`/subgraph?${param}=${encodeURIComponent(data.id)}&hops=1`));
    if (box.dataset.nodeId !== data.id) return; // another node was clicked meanwhile
    const names = Object.fromEntries(sub.entities.map((e) => [e.id, e.name]));
    const passageIds = data.kind === "passage" ? [data.id]
      : sub.mentions.filter(([, e]) => e === data.id).map(([p]) => p);
    const passages = sub.passages.filter((p) => passageIds.includes(p.id));
    const ownFacts = sub.facts.filter((f) => data.kind === "passage" || f.subject_id === data.id || f.object_id === data.id);
    const parts = [heading, el("div", { class: "note" }, facts.join(" · "))];
    if (data.kind === "passage") {
      const mentioned = sub.mentions.filter(([p]) => p === data.id).map(([, e]) => names[e] || e);
      parts.push(el("p", { class: "passage-text" }, passages.length ? passages[0].text : ""));
      if (mentioned.length) parts.push(el("div", { class: "chips" }, ...mentioned.map((m) => el("span", { class: "chip" }, m))));
    } else {
      parts.push(el("h2", {}, `Passages (${passages.length})`));
      for (const p of passages) parts.push(el("div", { class: "passage-text" }, el("strong", {}, p.title + ": "), p.text));
    }
    parts.push(el("h2", {}, `Facts (${ownFacts.length})`));
    parts.push(el("ul", { class: "facts" }, ...ownFacts.map((f) => el("li", {}, f.text))));
    if (sub.truncated) parts.push(el("p", { class: "note" }, "The neighbourhood was truncated."));
    box.replaceChildren(...parts);
    setPageState("details");
  }

  cy.on("tap", "node", (event) => { guarded(() => showDetails(event.target)); });

  // --- provenance view --------------------------------------------------------------------------
  function parseRecords(text) {
    const records = [];
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      records.push(JSON.parse(line));
    }
    if (!records.length && text.trim()) records.push(JSON.parse(text));
    return records;
  }

  function recordQuestion(record) {
    if (record.instruction !== undefined) return String(record.instruction);
    const turns = record.conversations || record.messages || [];
    const first = turns.find((t) => ["human", "user"].includes(t.from || t.role));
    return first ? String(first.value || first.content || "") : "(no question)";
  }

  function loadRecords(text) {
    try {
      state.records = parseRecords(text);
    } catch (err) {
      setStatus("That is not JSON lines: " + err.message, "error");
      return;
    }
    const select = $("record-line");
    select.replaceChildren(...state.records.map((r, i) => el("option", { value: String(i) }, `${i + 1}: ${recordQuestion(r).slice(0, 90)}`)));
    select.hidden = state.records.length < 2;
    setStatus(`${state.records.length} record(s) loaded.`);
  }

  $("record-input").addEventListener("change", (event) => loadRecords(event.target.value));
  $("record-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const text = await file.text();
    $("record-input").value = text;
    loadRecords(text);
  });

  async function showProvenance() {
    loadRecords($("record-input").value);
    if (!state.records.length) { setStatus("Paste or load a record first.", "error"); return; }
    const record = state.records[Number($("record-line").value || 0)];
    setPageState("loading");
    const result = await api("POST", nsPath("/explore/provenance"), { record });
    const meta = result.meta || {};
    const rows = [["Question", result.question], ["Answer", result.answer]].filter(([, v]) => v);
    if (meta.mode) rows.push(["Mode", `${meta.mode}${meta.difficulty ? " · " + meta.difficulty : ""}`]);
    draw(result.graph);
    const labelOf = (id) => { const n = cy.getElementById(id); return n.empty() ? id : n.data("label"); };
    if (meta.path && meta.path.length) rows.push(["Path", meta.path.map(labelOf).join(" → ")]);
    if (result.graph.missing.length) rows.push(["Missing", `${result.graph.missing.length} id(s) are not in namespace ${state.namespace}`]);
    $("qa").replaceChildren(el("dl", {}, ...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
    cy.nodes(".path").addClass("onpath");
    cy.edges(".marked").filter((e) => e.source().hasClass("path") && e.target().hasClass("path")).addClass("onpath");
    setStatus("Highlighted: the record's passages, facts and entities" + (meta.path ? " and its path." : "."));
    setPageState("done");
  }

  $("record-show").addEventListener("click", () => guarded(showProvenance));

  // --- start ------------------------------------------------------------------------------------
  window.hippoExplorer = { cy, state, lastResult: null, highlightPath };
  if (state.apiKey) $("api-key").value = state.apiKey;
  guarded(loadNamespaces);
})();
