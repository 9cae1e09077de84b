import { ApiError } from "./api";
import { announce, h } from "./dom";

// Forms of the console: labelled fields, a ProblemDetails' field errors shown at their field with focus on the
// first one, the rest (a 409, a 412, a 422 decision) above the buttons.

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

let counter = 0;

/** A labelled field; <paramref>name</paramref> is the request's JSON path ("periodEnd", "baseline.value"), which field errors name. */
export function field(label: string, control: Control, hint?: string): HTMLElement {
  const id = control.id || (control.id = `f${++counter}-${control.name.replace(/\W/g, "-")}`);
  const error = h("p", { class: "field-error", id: `${id}-error`, "data-error-for": control.name });
  const hintNode = hint ? h("p", { class: "hint small subtle", id: `${id}-hint` }, hint) : null;
  control.setAttribute("aria-describedby", [hintNode ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" "));
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hintNode, error);
}

export function input(name: string, attrs: Record<string, string | number | boolean> = {}): HTMLInputElement {
  return h("input", { name, type: "text", autocomplete: "off", ...attrs }) as HTMLInputElement;
}

export function select(name: string, options: [value: string, label: string][], selected?: string): HTMLSelectElement {
  return h("select", { name }, options.map(([value, label]) => h("option", { value, selected: value === selected }, label))) as HTMLSelectElement;
}

/** A form's submit: clears old errors, sends, and on a refusal shows each field error at its field and focuses the first. */
export function onSubmit(form: HTMLFormElement, send: () => Promise<void>): void {
  const formError = form.querySelector<HTMLElement>("[data-form-error]") ?? form.appendChild(h("p", { class: "field-error", role: "alert", tabindex: "-1", "data-form-error": true }));
  // What is typed and not yet sent marks the form as having unsaved changes (the page asks before leaving it).
  form.addEventListener("input", () => { form.dataset.dirty = "true"; });
  form.addEventListener("reset", () => { delete form.dataset.dirty; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form, formError);
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      await send();
      delete form.dataset.dirty;
    } catch (error) {
      showProblem(form, formError, error);
    } finally {
      if (button) button.disabled = false;
    }
  });
}

function clearErrors(form: HTMLFormElement, formError: HTMLElement): void {
  formError.textContent = "";
  for (const node of form.querySelectorAll<HTMLElement>("[data-error-for]")) node.textContent = "";
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
}

function showProblem(form: HTMLFormElement, formError: HTMLElement, error: unknown): void {
  if (!(error instanceof ApiError)) {
    formError.textContent = `Could not send: ${String(error)}`;
    return;
  }
  const unplaced: string[] = [];
  let first: Control | null = null;
  for (const [key, messages] of Object.entries(error.problem.errors ?? {})) {
    const control = controlFor(form, key);
    const slot = control ? form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(control.name)}"]`) : null;
    if (control && slot) {
      slot.textContent = messages.join(" ");
      control.setAttribute("aria-invalid", "true");
      first ??= control;
    } else {
      unplaced.push(...messages);
    }
  }
  const changed = error.status === 412 ? " This account changed since you opened it: reload to see the latest, then try again." : "";
  formError.textContent = error.problem.errors && unplaced.length === 0 ? "" : [error.message + changed, ...unplaced].join(" ");
  announce(first ? "Some fields need a change." : formError.textContent);
  (first ?? formError).focus?.();
}

/** The control a field error names: by its JSON path, ignoring case ("PeriodEnd", "periodEnd", "Baseline.Value"). */
function controlFor(form: HTMLFormElement, key: string): Control | null {
  const wanted = key.replace(/^\$\./, "").toLowerCase();
  for (const control of form.querySelectorAll<Control>("input[name], select[name], textarea[name]"))
    if (control.name.toLowerCase() === wanted) return control;
  return null;
}

/** A number typed in a field, or undefined (the API then names the field). */
export function numberOf(control: HTMLInputElement): number | undefined {
  return control.value.trim() === "" ? undefined : Number(control.value);
}

export function textOf(control: Control): string | undefined {
  return control.value.trim() === "" ? undefined : control.value.trim();
}

/** True when a form under <paramref>root</paramref> has input that was not sent. */
export function hasUnsavedChanges(root: ParentNode): boolean {
  return root.querySelector("form[data-dirty]") !== null;
}
