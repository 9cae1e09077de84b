import { api } from "./api";
import { fetchFile, saveBlob } from "./downloads";
import { announce, h } from "./dom";
import { field, input, numberOf, onSubmit, select, textOf } from "./forms";
import { approachNames, driverNames, number, period } from "./format";
import type { AccountView, CommitmentView } from "./types";

// The console's write forms for customer success, each through the existing API. A form is made once and kept
// across live redraws (the caller moves the same element into the redrawn page), so nothing typed is lost.

interface Created { id: string; version: number }

const today = () => new Date().toISOString().slice(0, 10);

function form(title: string, testId: string, ...children: (Node | null)[]): { details: HTMLDetailsElement; form: HTMLFormElement } {
  const f = h("form", { class: "edit-form", novalidate: true, "data-testid": testId }, ...children) as HTMLFormElement;
  const details = h("details", { class: "edit" }, h("summary", { class: "button" }, title), f) as HTMLDetailsElement;
  return { details, form: f };
}

function submit(label: string): HTMLButtonElement {
  return h("button", { type: "submit", class: "button button-primary" }, label) as HTMLButtonElement;
}

/** Open an account (accounts page); the new account's page opens. */
export function openAccountForm(): HTMLElement {
  const name = input("name", { maxlength: 200, required: true });
  const industry = input("industry", { maxlength: 100, required: true });
  const segment = select("segment", [["enterprise", "Enterprise"], ["midMarket", "Mid-market"], ["smb", "Small business"]]);
  const currency = input("currency", { maxlength: 3, value: "EUR", required: true, class: "short" });
  const approach = select("approach", Object.entries(approachNames), "processCentric");
  const owner = input("owner", { maxlength: 200, required: true });
  const { details, form: f } = form("Open an account", "open-account-form",
    h("div", { class: "form-grid" },
      field("Name", name), field("Industry", industry), field("Segment", segment),
      field("Currency", currency, "Three letters, ISO 4217"), field("Value approach", approach), field("Owner (customer success)", owner)),
    submit("Open account"));
  onSubmit(f, async () => {
    const created = await api.post<Created>("/api/accounts", {
      name: textOf(name), industry: textOf(industry), segment: segment.value, currency: textOf(currency)?.toUpperCase(),
      approach: approach.value, owner: textOf(owner)
    });
    announce(`${name.value.trim()} is open.`);
    location.hash = `#/accounts/${created.id}`;
  });
  return details;
}

/** Add a commitment to an account: what is promised, from which baseline to which target, by when, worth how much. */
export function commitmentForm(account: () => AccountView | null, added: () => Promise<void>): HTMLElement {
  const driver = select("driver", Object.entries(driverNames));
  const metric = input("metric", { maxlength: 200, required: true });
  const unit = input("unit", { maxlength: 50, required: true, class: "short" });
  const direction = select("direction", [["lowerIsBetter", "Lower is better"], ["higherIsBetter", "Higher is better"]]);
  const baselineValue = input("baseline.value", { type: "number", step: "any", required: true });
  const baselineAsOf = input("baseline.asOf", { type: "date", required: true });
  const baselineSource = input("baseline.source", { maxlength: 200 });
  const target = input("target", { type: "number", step: "any", required: true });
  const unitValue = input("unitValue", { type: "number", step: "any", min: 0, required: true });
  const periodStart = input("periodStart", { type: "date", required: true });
  const periodEnd = input("periodEnd", { type: "date", required: true });
  const cadence = select("cadence", [["monthly", "Monthly"], ["quarterly", "Quarterly"], ["yearly", "Yearly"]]);
  const owner = select("owner", [["joint", "Joint"], ["seller", "Seller"], ["customer", "Customer"]]);
  const confidence = select("confidence", [["medium", "Medium"], ["low", "Low"], ["high", "High"]]);
  const { details, form: f } = form("Add a commitment", "commitment-form",
    h("div", { class: "form-grid" },
      field("Value driver", driver), field("Metric", metric), field("Unit", unit), field("Direction", direction),
      field("Baseline", baselineValue), field("Baseline as of", baselineAsOf), field("Baseline source", baselineSource, "Where the baseline figure comes from"),
      field("Target", target), field("Value per unit of improvement", unitValue, "Per period, in the account's currency"),
      field("From", periodStart), field("To", periodEnd), field("Cadence", cadence), field("Delivered by", owner), field("Confidence", confidence)),
    submit("Add commitment"));
  onSubmit(f, async () => {
    await api.post<Created>(`/api/accounts/${account()!.id}/commitments`, {
      driver: driver.value, metric: textOf(metric), unit: textOf(unit), direction: direction.value,
      baseline: { value: numberOf(baselineValue), asOf: textOf(baselineAsOf), source: textOf(baselineSource) },
      target: numberOf(target), unitValue: numberOf(unitValue), periodStart: textOf(periodStart), periodEnd: textOf(periodEnd),
      cadence: cadence.value, owner: owner.value, confidence: confidence.value
    });
    announce(`${metric.value.trim()} is committed.`);
    f.reset();
    details.open = false;
    await added();
  });
  return details;
}

/**
 * Record a measurement of one commitment (with a link to its evidence), and correct one: the forms of a commitment
 * panel. <paramref>update</paramref> refreshes the list of measurements the correction can choose from.
 */
export function measurementForms(accountId: string, commitmentId: string, written: () => Promise<void>):
  { element: HTMLElement; update(c: CommitmentView): void } {
  const periodStart = input("periodStart", { type: "date", required: true });
  const periodEnd = input("periodEnd", { type: "date", required: true, max: today() });
  const value = input("value", { type: "number", step: "any", required: true });
  const evidenceUrl = input("evidenceUrl", { type: "url", maxlength: 2000, placeholder: "https://…" });
  const evidenceFile = input("file", { type: "file", accept: ".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.csv,.txt" });
  const note = input("note", { maxlength: 2000 });
  const provisional = h("input", { name: "provisional", type: "checkbox" }) as HTMLInputElement;
  const record = form("Record a measurement", "measurement-form",
    h("div", { class: "form-grid" },
      field("Period from", periodStart), field("Period to", periodEnd, "Only ended periods, unless provisional"), field("Measured value", value),
      field("Evidence link", evidenceUrl, "The report, export or invoice the figure comes from"),
      field("Or an evidence file", evidenceFile, "PDF, image, spreadsheet or text, up to 5 MB; kept by its SHA-256, which the record names"),
      field("Note", note)),
    h("label", { class: "check" }, provisional, " Provisional: the period has not ended; a correction after it ends gives the final figure"),
    submit("Record measurement"));
  onSubmit(record.form, async () => {
    // A chosen file is uploaded first; the measurement then names it by its hash.
    const file = evidenceFile.files?.[0];
    const uploaded = file ? await api.upload<{ reference: string }>(`/api/accounts/${accountId}/evidence`, file) : null;
    await api.post<Created>(`/api/accounts/${accountId}/commitments/${commitmentId}/measurements`, {
      periodStart: textOf(periodStart), periodEnd: textOf(periodEnd), value: numberOf(value), evidenceUrl: uploaded?.reference ?? textOf(evidenceUrl),
      note: textOf(note), provisional: provisional.checked || undefined
    });
    announce("Measurement recorded.");
    record.form.reset();
    await written();
  });

  const which = select("measurementId", []);
  const corrected = input("value", { type: "number", step: "any", required: true });
  const reason = input("reason", { maxlength: 2000, required: true });
  const correctionEvidence = input("evidenceUrl", { type: "url", maxlength: 2000, placeholder: "https://…" });
  const correct = form("Correct a measurement", "correction-form",
    h("div", { class: "form-grid" },
      field("Measurement", which), field("Corrected value", corrected), field("Reason", reason, "Kept with the correction; the old figure stays in the history"),
      field("Evidence link", correctionEvidence)),
    submit("Record correction"));
  onSubmit(correct.form, async () => {
    await api.post<Created>(`/api/accounts/${accountId}/commitments/${commitmentId}/measurements/${which.value}/corrections`, {
      value: numberOf(corrected), reason: textOf(reason), evidenceUrl: textOf(correctionEvidence)
    });
    announce("Correction recorded.");
    correct.form.reset();
    await written();
  });

  // Revise the terms from a date (the earlier periods keep the terms they had), or withdraw the commitment.
  const target = input("target", { type: "number", step: "any" });
  const unitValue = input("unitValue", { type: "number", step: "any", min: 0 });
  const revisedEnd = input("periodEnd", { type: "date" });
  const effectiveFrom = input("effectiveFrom", { type: "date" });
  const revisionReason = input("reason", { maxlength: 2000, required: true });
  const revise = form("Revise the terms", "revision-form",
    h("p", { class: "small subtle" }, "Give what changes; the rest stays. Earlier periods keep the terms in force then."),
    h("div", { class: "form-grid" },
      field("New target", target), field("New value per unit", unitValue), field("New end", revisedEnd),
      field("Effective from", effectiveFrom, "Empty: from today"), field("Reason", revisionReason)),
    h("input", { type: "hidden", name: "terms" }),
    h("p", { class: "field-error", "data-error-for": "terms" }),
    submit("Record revision"));
  onSubmit(revise.form, async () => {
    await api.post<Created>(`/api/accounts/${accountId}/commitments/${commitmentId}/revisions`, {
      target: numberOf(target), unitValue: numberOf(unitValue), periodEnd: textOf(revisedEnd), effectiveFrom: textOf(effectiveFrom),
      reason: textOf(revisionReason)
    });
    announce("Revision recorded.");
    revise.form.reset();
    revise.details.open = false;
    await written();
  });

  const withdrawalReason = input("reason", { maxlength: 2000, required: true });
  const withdraw = form("Withdraw", "withdrawal-form",
    h("p", { class: "small subtle" }, "The commitment stops counting from now on; its history stays."),
    field("Reason", withdrawalReason), submit("Withdraw commitment"));
  onSubmit(withdraw.form, async () => {
    await api.post<Created>(`/api/accounts/${accountId}/commitments/${commitmentId}/withdrawal`, { reason: textOf(withdrawalReason) });
    announce("Commitment withdrawn.");
    await written();
  });

  // Answer a customer's dispute in its thread (or correct the figure above); the customer then confirms or disputes again.
  const disputed = select("measurementId", []);
  const answerText = h("textarea", { name: "comment", maxlength: 2000, rows: 3, required: true }) as HTMLTextAreaElement;
  const answer = form("Answer a dispute", "dispute-answer-form",
    h("div", { class: "form-grid" }, field("Disputed measurement", disputed),
      field("Answer", answerText, "Shown to the customer in the dispute thread")),
    submit("Send answer"));
  onSubmit(answer.form, async () => {
    await api.post<Created>(`/api/accounts/${accountId}/commitments/${commitmentId}/measurements/${disputed.value}/dispute/answers`, {
      comment: textOf(answerText)
    });
    announce("Answer sent to the customer.");
    answer.form.reset();
    await written();
  });

  // A confirmation the customer gave outside the system (a letter, a call): recorded as such, never as the customer's own.
  const unconfirmed = select("measurementId", []);
  const statedBy = input("statedBy", { maxlength: 200, required: true });
  const statement = input("evidence", { maxlength: 2000, required: true });
  const onBehalfComment = input("comment", { maxlength: 2000 });
  const onBehalf = form("Record a confirmation on the customer's behalf", "on-behalf-form",
    h("p", { class: "small subtle" }, "Shown as recorded by you on the customer's behalf; it never counts as the customer's own sign-off."),
    h("div", { class: "form-grid" }, field("Measurement", unconfirmed),
      field("Confirmed by (at the customer)", statedBy, "Who said so, e.g. Jane Buyer (CFO)"),
      field("Evidence of the statement", statement, "The letter's reference or the e-mail's message id"), field("Comment", onBehalfComment)),
    submit("Record confirmation"));
  onSubmit(onBehalf.form, async () => {
    await api.post<Created>(`/api/accounts/${accountId}/commitments/${commitmentId}/measurements/${unconfirmed.value}/confirmation-on-behalf`, {
      statedBy: textOf(statedBy), evidence: textOf(statement), comment: textOf(onBehalfComment)
    });
    announce("Confirmation recorded on the customer's behalf.");
    onBehalf.form.reset();
    await written();
  });

  const element = h("div", { class: "edit-forms" }, record.details, correct.details, answer.details, onBehalf.details, revise.details, withdraw.details);
  const options = (control: HTMLSelectElement, c: CommitmentView, which: (m: CommitmentView["measurements"][number]) => boolean) => {
    const selected = control.value;
    const chosen = [...c.measurements].reverse().filter(which);
    control.replaceChildren(...chosen.map((m) =>
      h("option", { value: m.id, selected: m.id === selected }, `${period(m.periodStart, m.periodEnd)}: ${number(m.value)} ${c.unit}`)));
    return chosen.length;
  };
  return {
    element,
    update(c: CommitmentView) {
      correct.details.hidden = options(which, c, () => true) === 0;
      answer.details.hidden = options(disputed, c, (m) => m.verification === "disputed") === 0;
      onBehalf.details.hidden = options(unconfirmed, c, (m) => m.verification !== "confirmed" && m.verification !== "confirmedOnBehalf") === 0;
    }
  };
}

/** Prioritise the account: the customer's ability and willingness to pay for value (the article's step 4). */
export function prioritisationForm(accountId: string, written: () => Promise<void>): HTMLElement {
  const levels: [string, string][] = [["high", "High"], ["medium", "Medium"], ["low", "Low"]];
  const ability = select("abilityToPay", levels);
  const willingness = select("willingnessToPay", levels);
  const note = input("note", { maxlength: 2000 });
  const { details, form: f } = form("Prioritise", "prioritisation-form",
    h("div", { class: "form-grid" }, field("Ability to pay", ability), field("Willingness to pay", willingness), field("Note", note)),
    submit("Record prioritisation"));
  onSubmit(f, async () => {
    await api.post<Created>(`/api/accounts/${accountId}/prioritisation`, {
      abilityToPay: ability.value, willingnessToPay: willingness.value, note: textOf(note)
    });
    announce("Prioritisation recorded.");
    details.open = false;
    await written();
  });
  return details;
}

/** Edit an account's name, industry, segment and owner (account page); filled with the current details when opened. */
export function detailsForm(accountId: string, current: () => AccountView | null, written: () => Promise<void>): HTMLElement {
  const name = input("name", { maxlength: 200, required: true });
  const industry = input("industry", { maxlength: 100, required: true });
  const segment = input("segment", { maxlength: 100, required: true });
  const owner = input("owner", { maxlength: 200, required: true });
  const { details, form: f } = form("Edit details", "details-form",
    h("div", { class: "form-grid" }, field("Name", name), field("Industry", industry), field("Segment", segment),
      field("Owner (customer success)", owner, "As alerts and reports find the owner: a name or an e-mail address.")),
    h("p", { class: "hint small subtle" }, "Currency and approach stay as opened: every figure of the account depends on them."),
    submit("Save details"));
  details.addEventListener("toggle", () => {
    const account = current();
    if (!details.open || !account) return;
    name.value = account.name;
    industry.value = account.industry;
    segment.value = account.segment;
    owner.value = account.owner;
  });
  onSubmit(f, async () => {
    await api.patch(`/api/accounts/${accountId}`, { name: name.value.trim(), industry: industry.value.trim(), segment: segment.value.trim(), owner: owner.value.trim() });
    announce("Details saved.");
    details.open = false;
    await written();
  });
  return details;
}

interface ImportPreview {
  rows: number; valid: number; invalid: number;
  items: { label: string; commitmentId: string | null; metric: string | null; periodStart: string | null; periodEnd: string | null; value: string | null; errors: string[] }[];
}

const importTypes: Record<string, string> = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * Import measurements from a spreadsheet (CSV or Excel): download a template to fill in, check the file (every row is
 * listed with what is wrong with it before anything is written), then import it, all or nothing.
 */
export function importForm(accountId: string, written: () => Promise<void>): HTMLElement {
  const file = input("file", { type: "file", accept: ".csv,.xlsx", required: true });
  const report = h("div", { class: "import-preview", "data-testid": "import-preview", "aria-live": "polite" });
  const importButton = h("button", { type: "button", class: "button button-primary", disabled: true }, "Import") as HTMLButtonElement;
  const template = (format: "csv" | "xlsx") => {
    const link = h("a", { href: "#", class: "small" }, format === "csv" ? "Template (CSV)" : "Template (Excel)") as HTMLAnchorElement;
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      saveBlob(await fetchFile(`/api/accounts/${accountId}/measurements/import/template?format=${format}`, "The template"), `measurements.${format}`);
    });
    return link;
  };
  const { details, form: f } = form("Import measurements", "import-form",
    h("p", { class: "small subtle" }, "Columns commitmentId, periodStart, periodEnd, value, and optionally source, evidenceUrl, note, provisional. ",
      template("csv"), " · ", template("xlsx")),
    field("Spreadsheet", file, "CSV or Excel (.xlsx); nothing is written until you import"),
    submit("Check the file"), report, importButton);

  const chosen = (): Blob | undefined => {
    const picked = file.files?.[0];
    if (!picked) return undefined;
    const type = importTypes[picked.name.split(".").pop()?.toLowerCase() ?? ""] ?? picked.type;
    return picked.slice(0, picked.size, type);
  };
  file.addEventListener("change", () => { report.replaceChildren(); importButton.disabled = true; });
  onSubmit(f, async () => {
    importButton.disabled = true;
    const preview = await api.post<ImportPreview>(`/api/accounts/${accountId}/measurements/import?preview=true`, chosen());
    report.replaceChildren(
      h("p", { "data-testid": "import-summary" }, preview.invalid === 0
        ? `All ${preview.rows} rows can be imported.`
        : `${preview.invalid} of ${preview.rows} rows need a change; nothing is imported until every row is right.`),
      h("div", { class: "table-wrap", tabindex: 0 }, h("table", { class: "table table-compact" },
        h("thead", {}, h("tr", {}, ["Row", "Commitment", "Period", "Value", "What to change"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, preview.items.map((row) => h("tr", { class: row.errors.length > 0 ? "row-bad" : "", "data-row": row.label },
          h("th", { scope: "row" }, row.label), h("td", {}, row.metric ?? row.commitmentId ?? "–"),
          h("td", {}, `${row.periodStart ?? "?"} – ${row.periodEnd ?? "?"}`), h("td", { class: "num" }, row.value ?? "–"),
          h("td", {}, row.errors.length > 0 ? h("ul", { class: "field-error" }, row.errors.map((e) => h("li", {}, e))) : "✓")))))));
    importButton.textContent = `Import ${preview.valid} rows`;
    importButton.disabled = preview.invalid > 0;
    announce(preview.invalid === 0 ? "The file can be imported." : `${preview.invalid} rows need a change.`);
  });
  importButton.addEventListener("click", async () => {
    importButton.disabled = true;
    try {
      const result = await api.post<{ imported: number }>(`/api/accounts/${accountId}/measurements/import`, chosen());
      report.replaceChildren(h("p", { "data-testid": "import-summary" }, `Imported ${result.imported} measurements.`));
      announce(`Imported ${result.imported} measurements.`);
      f.reset();
      await written();
    } catch (error) {
      report.prepend(h("p", { class: "field-error", role: "alert" }, String((error as Error).message)));
    }
  });
  return details;
}
