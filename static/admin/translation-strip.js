/*
 * One language tab strip per back-office form (issue 12), in place of modeltranslation's tabs
 * on every field.
 *
 * The strip sits at the top of the form and shows every translated box of the form, its inline
 * rows included, in one language at a time: the content's original language comes first (read
 * from the form's "original language" field where it has one) and is shown when the page opens;
 * a language where some text written in the original is still empty is marked "missing" (a dot
 * and words for screen readers), one with an error is marked too and shown first. Rows added
 * to an inline open on the language shown. Arrow keys, Home and End move along the strip.
 *
 * Without JavaScript nothing is hidden: every language's box shows with its label ("title
 * [fr]"). The words come from the page (templates/admin/change_form.html), in the page's
 * language.
 */
"use strict";
(function () {
  const HIDDEN = "mt-hidden";

  function languageOf(box) {
    for (const name of box.classList) {
      if (name.startsWith("mt-field-")) {
        return name.slice(name.lastIndexOf("-") + 1);
      }
    }
    return null;
  }

  // The box's field, the same for all its languages: "funders-0-acknowledgement".
  function groupOf(box, language) {
    return box.name.slice(0, -(language.length + 1));
  }

  function holderOf(box) {
    return box.closest(".fieldBox") || box.closest(".form-row") || box.parentElement;
  }

  function boxes(form) {
    return Array.from(form.querySelectorAll(".mt[name]")).filter(
      (box) => !box.name.includes("__prefix__") && languageOf(box),
    );
  }

  function setUp(form, texts) {
    const all = boxes(form);
    if (!all.length) {
      return;
    }
    const languages = [];
    for (const box of all) {
      const language = languageOf(box);
      if (!languages.includes(language)) {
        languages.push(language);
      }
    }
    const defaultBox = form.querySelector(".mt-default[name]");
    const originalField = form.querySelector("#id_original_language");

    function original() {
      const chosen = originalField && originalField.value;
      if (chosen && languages.includes(chosen)) {
        return chosen;
      }
      return (defaultBox && languageOf(defaultBox)) || languages[0];
    }

    const strip = document.createElement("div");
    strip.className = "mt-strip";
    strip.setAttribute("role", "tablist");
    strip.setAttribute("aria-label", texts.dataset.label);
    const tabs = {};
    for (const language of languages) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.id = `${form.id}-language-${language}`;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", form.id);
      tab.dataset.language = language;
      const code = document.createElement("span");
      code.textContent = language.toUpperCase();
      tab.append(code);
      for (const [kind, words] of [
        ["original", texts.dataset.original],
        ["missing", texts.dataset.missing],
        ["error", texts.dataset.errors],
      ]) {
        const mark = document.createElement("span");
        mark.className = `mt-mark mt-${kind}`;
        mark.hidden = true;
        const said = document.createElement("span");
        said.className = "visually-hidden";
        said.textContent = ` ${words}`;
        mark.append(said);
        tab.append(mark);
      }
      tab.addEventListener("click", () => show(language, true));
      tab.addEventListener("keydown", onKey);
      tabs[language] = tab;
    }
    const hint = document.createElement("p");
    hint.className = "mt-strip-hint";
    hint.textContent = texts.dataset.hint;
    strip.append(hint);
    texts.replaceWith(strip);

    let current = null;

    function ordered() {
      const first = original();
      return [first, ...languages.filter((language) => language !== first)];
    }

    function show(language, focus) {
      current = language;
      for (const box of boxes(form)) {
        holderOf(box).classList.toggle(HIDDEN, languageOf(box) !== language);
      }
      for (const [code, tab] of Object.entries(tabs)) {
        const selected = code === language;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
      }
      if (focus) {
        tabs[language].focus();
      }
    }

    function onKey(event) {
      const order = ordered();
      const at = order.indexOf(event.currentTarget.dataset.language);
      const next = {
        ArrowRight: order[(at + 1) % order.length],
        ArrowLeft: order[(at - 1 + order.length) % order.length],
        Home: order[0],
        End: order[order.length - 1],
      }[event.key];
      if (next) {
        event.preventDefault();
        show(next, true);
      }
    }

    // Languages lacking a text that the original language has, and languages with an error.
    function mark() {
      const first = original();
      const written = {};
      const missing = new Set();
      const errors = new Set();
      const present = boxes(form);
      for (const box of present) {
        const language = languageOf(box);
        if (language === first && box.value.trim()) {
          written[groupOf(box, language)] = true;
        }
        if (holderOf(box).querySelector(".errorlist")) {
          errors.add(language);
        }
      }
      for (const box of present) {
        const language = languageOf(box);
        if (language !== first && written[groupOf(box, language)] && !box.value.trim()) {
          missing.add(language);
        }
      }
      for (const [language, tab] of Object.entries(tabs)) {
        tab.querySelector(".mt-original").hidden = language !== first;
        tab.querySelector(".mt-missing").hidden = !missing.has(language);
        tab.querySelector(".mt-error").hidden = !errors.has(language);
      }
      return errors;
    }

    function arrange() {
      for (const language of ordered()) {
        strip.insertBefore(tabs[language], hint);
      }
      mark();
    }

    arrange();
    const withErrors = mark();
    const firstError = ordered().find((language) => withErrors.has(language));
    show(firstError || original(), false);

    form.addEventListener("input", (event) => {
      if (event.target.classList && event.target.classList.contains("mt")) {
        mark();
      }
    });
    if (originalField) {
      // A new original language goes first and is shown: its texts are the ones to type.
      originalField.addEventListener("change", () => {
        arrange();
        show(original(), false);
      });
    }
    // A new inline row opens on the language shown, like the rest of the form.
    document.addEventListener("formset:added", (event) => {
      if (form.contains(event.target)) {
        show(current, false);
        mark();
      }
    });
    document.addEventListener("formset:removed", () => mark());
  }

  function start() {
    for (const texts of document.querySelectorAll(".mt-strip-texts")) {
      const form = texts.closest("form");
      if (form && form.id) {
        setUp(form, texts);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
