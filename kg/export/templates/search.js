// Search over many names (every entity's label and aliases, every linked paper's title).
// A target matches by its best name: the whole name first, then a name starting with the
// query, then a word of it starting with the query, then the query anywhere; within a
// tier, the higher `weight` (papers linked) first, then the shorter name.
"use strict";
window.kgSearch = (function () {
  const EXACT = 0;
  const PREFIX = 1;
  const WORD = 2;
  const INSIDE = 3;
  const WORD_BREAK = /[^0-9a-z\u00c0-\uffff]/;

  function tier(name, query) {
    const at = name.indexOf(query);
    if (at < 0) return -1;
    if (at === 0) return name.length === query.length ? EXACT : PREFIX;
    if (WORD_BREAK.test(name[at - 1])) return WORD;
    for (let from = name.indexOf(query, at + 1); from > 0; from = name.indexOf(query, from + 1)) {
      if (WORD_BREAK.test(name[from - 1])) return WORD;
    }
    return INSIDE;
  }

  // `targets[i]` = { names: [string], weight: number }; `find` returns the best `limit`
  // target positions and how many targets match in all.
  function index(targets) {
    const keys = [];
    const owners = [];
    targets.forEach((target, position) => {
      for (const name of target.names) {
        keys.push(name.toLowerCase());
        owners.push(position);
      }
    });
    return {
      find(text, limit) {
        const query = text.trim().toLowerCase();
        if (!query) return { hits: [], total: 0 };
        const best = new Map();
        for (let i = 0; i < keys.length; i++) {
          const found = tier(keys[i], query);
          if (found < 0) continue;
          const owner = owners[i];
          const seen = best.get(owner);
          if (seen === undefined || found < seen.tier || (found === seen.tier && keys[i].length < seen.length)) {
            best.set(owner, { tier: found, length: keys[i].length });
          }
        }
        const ranked = [...best.keys()].sort((a, b) => {
          const x = best.get(a);
          const y = best.get(b);
          return x.tier - y.tier || targets[b].weight - targets[a].weight || x.length - y.length || a - b;
        });
        return { hits: ranked.slice(0, limit), total: ranked.length };
      },
    };
  }

  return { index };
})();
