// The UI's one script of its own, run by ui/browser.py through st.html (no user text ever goes into it).
// Streamlit's widgets print some words in English whatever the page's language: hints ("Press Enter to submit
// form"), placeholders, screen-reader labels ("Expand sidebar", "Help for ...", "Next page"). This says them in
// the interface language: `exact` maps a whole text to its wording, `patterns` rewrite attributes only, so the
// text of a record is never touched. It installs one observer per tab and takes the newest words on every run.
(function (config) {
  const state = window.__gcmWidgetTexts || (window.__gcmWidgetTexts = {});
  const compile = (pairs) => pairs.map(([source, replacement]) => [new RegExp(source), replacement]);
  state.exact = config.exact;
  state.patterns = compile(config.patterns);
  state.textPatterns = compile(config.text_patterns);
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "aria-roledescription"];
  const RECORD_TEXT = ".gcm-record, .gcm-snippet, .gcm-text, .gcm-longtext, [data-testid=stPageLink]";

  function said(text, patterns) {
    const key = text.trim();
    if (!key) return null;
    if (Object.prototype.hasOwnProperty.call(state.exact, key)) return text.replace(key, state.exact[key]);
    for (const [pattern, replacement] of patterns) {
      if (pattern.test(key)) return text.replace(key, key.replace(pattern, replacement));
    }
    return null;
  }

  function fixText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style") || parent.closest(RECORD_TEXT)) return;
    const text = said(node.nodeValue, state.textPatterns);
    if (text !== null && text !== node.nodeValue) node.nodeValue = text;
  }

  function fixAttributes(element) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (!value) continue;
      const text = said(value, state.patterns);
      if (text !== null && text !== value) element.setAttribute(name, text);
    }
  }

  function fix(root) {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixAttributes(root);
    root.querySelectorAll("[aria-label], [title], [placeholder], [aria-roledescription]").forEach(fixAttributes);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) fixText(node);
  }

  if (!state.observer) {
    state.observer = new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === "childList") mutation.addedNodes.forEach(fix);
        else if (mutation.type === "characterData") fixText(mutation.target);
        else if (mutation.type === "attributes") fixAttributes(mutation.target);
      }
    });
    state.observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ATTRIBUTES,
    });
  }
  fix(document.body);
})(__CONFIG__);
