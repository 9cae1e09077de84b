// A tiny element builder: text always goes in as text (never as HTML), so nothing from the API can inject markup.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    } else if (name === "class") {
      element.className = String(value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element: Element): void {
  element.replaceChildren();
}

/** Announces a message to screen readers (and shows it) through the polite live region. */
export function announce(message: string): void {
  const region = document.getElementById("announcer");
  if (region) region.textContent = message;
}

/**
 * Redraws <paramref>container</paramref>'s contents without losing what the user is typing: the values of its text
 * fields (matched by id) and the focused field with its caret survive the redraw, so a live push that lands while a
 * comment is half-written does not wipe it.
 */
export function keepingDrafts(container: Element, redraw: () => void): void {
  const fields = (root: Element) => root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input[id]:not([type]), input[id][type=text], textarea[id]");
  const drafts = new Map<string, string>();
  for (const field of fields(container)) if (field.value !== "") drafts.set(field.id, field.value);
  const focused = document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement
    ? { id: document.activeElement.id, start: document.activeElement.selectionStart, end: document.activeElement.selectionEnd }
    : null;
  redraw();
  for (const field of fields(container)) {
    const draft = drafts.get(field.id);
    if (draft !== undefined && field.value === "") field.value = draft;
    if (focused && field.id === focused.id && document.activeElement !== field) {
      field.focus();
      if (focused.start !== null && focused.end !== null) field.setSelectionRange(focused.start, focused.end);
    }
  }
}
