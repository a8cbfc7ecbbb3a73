// DOM helpers shared by the page's scripts. Text from the graph goes in through
// textContent, never innerHTML; only http(s) addresses become links.
"use strict";
window.kgDom = (function () {
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function safeLink(url, text) {
    let parsed = null;
    try {
      parsed = new URL(url);
    } catch (error) {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      return element("span", null, url);
    }
    const link = element("a", null, text || url);
    link.href = parsed.href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }

  // Names to ids, case-insensitive; `find` takes an exact match, else a prefix, else a
  // substring. `add` says whether the name is new; `replace` lets a later id win.
  function nameIndex() {
    const index = new Map();
    return {
      add(name, id, replace) {
        const key = name.toLowerCase();
        const fresh = !index.has(key);
        if (fresh || replace) index.set(key, id);
        return fresh;
      },
      find(query) {
        const key = query.trim().toLowerCase();
        if (!key) return null;
        if (index.has(key)) return index.get(key);
        for (const [name, id] of index) if (name.startsWith(key)) return id;
        for (const [name, id] of index) if (name.includes(key)) return id;
        return null;
      },
    };
  }

  return { element, safeLink, nameIndex };
})();
