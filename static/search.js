// The search page: Pagefind's index, loaded from this site only, queried as the reader types.
// Every text shown comes from the page itself (its data-* attributes and elements), in the site's language.
// A classic script, not a module: opened from a file, a browser runs no module, and this script must still run
// there to say that search needs a web server.
(function () {
  "use strict";

  const root = document.getElementById("search");
  const form = root.querySelector("form");
  const input = form.elements.q;
  const kind = form.elements.type;
  const status = root.querySelector(".search-status");
  const list = document.createElement("ol"); // made here: without JavaScript there are no results to list
  list.className = "search-results";
  root.append(list);
  const count = new Intl.NumberFormat(document.documentElement.lang);
  let pagefind = null;
  let latest = 0;
  const SHOWN = 50; // results listed
  const CHECKED = 500; // results looked at for a kind before giving up
  // What a word found in a page's metadata weighs, beside Pagefind's own weight for the title (5). "names" holds
  // what an actor is called (data-pagefind-meta on actor.html), so that the actor's page comes before the pages
  // that only mention it, even in their title: Pagefind 1.5 counts "Shoigu's" in a title as two matches of
  // "Shoigu", which makes such a title weigh up to 8 times 5.
  const META_WEIGHTS = { names: 50 };
  const NAMES_SEPARATOR = " · "; // between the names in data-pagefind-meta="names:…"

  // Pagefind gives addresses from the site's root, where its bundle's folder is: the search page of an edition in
  // another language is a folder below it (ru/search.html), and the site may be served from a sub-path.
  const siteRoot = new URL("../", new URL(root.dataset.bundle, location.href));
  const relative = (url) => {
    const target = new URL(url.replace(/^\/+/, ""), siteRoot).pathname.split("/");
    const here = location.pathname.split("/").slice(0, -1); // the search page's folders
    let shared = 0;
    while (shared < here.length && shared < target.length - 1 && here[shared] === target[shared]) shared += 1;
    return "../".repeat(here.length - shared) + target.slice(shared).join("/");
  };

  // Names compared as a reader types them: in any case, with any spacing and punctuation.
  const folded = (text) =>
    text
      .normalize("NFKC")
      .toLocaleLowerCase(document.documentElement.lang)
      .replace(/[\s\p{P}]+/gu, " ")
      .trim();

  // Whether a result is called exactly what was asked, by its title or one of its names. Such a result is listed
  // first, whatever the rest of its page weighs: the country "Myanmar" before "Myanmar Navy", on a site that
  // names Myanmar on every page.
  function named(result, asked) {
    const names = [result.meta.title || "", ...(result.meta.names || "").split(NAMES_SEPARATOR)];
    return names.some((name) => folded(name) === asked);
  }

  // Footnote markers link to the notes on the page, but in an excerpt they are only "[1] [2]": they go, after
  // the word joiner (U+2060) that holds them to the word before, or at the start of an excerpt cut after it.
  const MARKERS = /(^|\u2060)(<\/mark>)?(?:\s*\[\d+\])+/g;
  const CUT = /^[\s:;,.]+/; // what is left of a sentence Pagefind cut the excerpt from

  // The excerpt as text, with Pagefind's <mark> kept and nothing else: it never becomes markup.
  function excerpt(html) {
    const template = document.createElement("template");
    template.innerHTML = html.replace(MARKERS, "$2").replace(CUT, "");
    const paragraph = document.createElement("p");
    paragraph.className = "excerpt";
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.append(mark);
      } else {
        paragraph.append(node.textContent);
      }
    }
    return paragraph;
  }

  function item(result) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = relative(result.url);
    link.textContent = result.meta.title || result.url;
    const heading = document.createElement("p");
    heading.className = "result-title";
    heading.append(link);
    if (result.meta.type) {
      const type = document.createElement("span");
      type.className = "kicker";
      type.textContent = ` · ${result.meta.type}`;
      heading.append(type);
    }
    li.append(heading);
    if (result.meta.summary) {
      const summary = document.createElement("p");
      summary.className = "summary";
      summary.textContent = result.meta.summary;
      li.append(summary);
    }
    li.append(excerpt(result.excerpt));
    return li;
  }

  // Kinds are matched on each result's own "type" here, not with Pagefind's filters: its filter index
  // is not byte-identical from one build to the next, and the site is.
  async function matching(found, type) {
    if (!type) return Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
    const kept = [];
    for (let start = 0; start < Math.min(found.results.length, CHECKED) && kept.length < SHOWN; start += 25) {
      const batch = await Promise.all(found.results.slice(start, start + 25).map((r) => r.data()));
      kept.push(...batch.filter((data) => data.meta.type === type));
    }
    return kept.slice(0, SHOWN);
  }

  async function run() {
    const query = input.value.trim();
    const mine = ++latest;
    list.replaceChildren();
    if (!query) {
      status.textContent = kind.value ? root.dataset.browse : "";
      return;
    }
    status.textContent = root.dataset.searching;
    const found = await pagefind.search(query);
    const asked = folded(query);
    const results = (await matching(found, kind.value)).sort((a, b) => named(b, asked) - named(a, asked));
    if (mine !== latest) return; // a newer query is on its way
    list.replaceChildren(...results.map(item));
    status.textContent = results.length
      ? root.dataset.found.replace("{count}", count.format(results.length))
      : root.dataset.none;
  }

  function remember() {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    if (kind.value) params.set("type", kind.value);
    history.replaceState(null, "", params.size ? `?${params}` : location.pathname);
  }

  async function start() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    kind.value = params.get("type") || "";
    if (location.protocol === "file:") {
      root.querySelector(".search-offline").hidden = false; // a browser loads no index from a file
      return;
    }
    try {
      pagefind = await import(new URL(root.dataset.bundle, location.href).href);
      await pagefind.options({ ranking: { metaWeights: META_WEIGHTS } });
      await pagefind.init();
    } catch {
      status.textContent = root.dataset.unavailable;
      return;
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      remember();
      run();
    });
    input.addEventListener("input", () => run());
    kind.addEventListener("change", () => {
      remember();
      run();
    });
    run();
  }

  start();
})();
