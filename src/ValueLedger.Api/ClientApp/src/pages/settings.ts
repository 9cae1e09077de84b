import { api } from "../api";
import { announce, h } from "../dom";
import { field, input, onSubmit, textOf } from "../forms";
import type { Page } from "../main";
import { errorBox } from "../ui";

interface NotificationSettings {
  email: string | null;
  ownerName: string;
  atRiskAlerts: boolean;
  missedAlerts: boolean;
  weeklyDigest: boolean;
  monthlyReports: boolean;
  saved: boolean;
}

/** A member of staff's own e-mail settings: the address, the owner name alerts find them by, and each kind of mail. */
export const settingsPage: Page = (main) => {
  const body = h("div", {}, h("p", { class: "subtle" }, "Loading…"));
  main.append(h("div", { class: "page" }, h("h1", {}, "E-mail settings"),
    h("p", { class: "subtle" }, "What ValueLedger sends you. Alerts go to the owner of an account, found by the owner name below or by your address."),
    body));

  void api.get<NotificationSettings>("/api/me/notifications").then((settings) => {
    const email = input("email", { type: "email", maxlength: 320, value: settings.email ?? "", required: true });
    const ownerName = input("ownerName", { maxlength: 200, value: settings.ownerName });
    const check = (name: keyof NotificationSettings, label: string) =>
      h("label", { class: "check" }, h("input", { type: "checkbox", name, checked: settings[name] === true }), ` ${label}`);
    const status = h("p", { class: "status-message", role: "status", "aria-live": "polite", "data-testid": "settings-status" },
      settings.saved ? "" : "Not saved yet: these are the defaults.");
    const form = h("form", { class: "edit-form", novalidate: true, "data-testid": "settings-form" },
      field("E-mail address", email), field("Owner name on accounts", ownerName, "As it is written in the accounts' owner field, e.g. maria."),
      h("fieldset", { class: "field field-stack" }, h("legend", {}, "Send me"),
        check("atRiskAlerts", "an alert when a commitment of an account I own turns at risk"),
        check("missedAlerts", "an alert when a commitment of an account I own misses its target"),
        check("weeklyDigest", "the weekly digest (Mondays)"),
        check("monthlyReports", "the monthly value report (PDF) of each account I own")),
      h("button", { type: "submit", class: "button button-primary" }, "Save settings"));
    const checked = (name: string) => form.querySelector<HTMLInputElement>(`input[name=${name}]`)!.checked;
    onSubmit(form, async () => {
      await api.put("/api/me/notifications", {
        email: textOf(email), ownerName: textOf(ownerName),
        atRiskAlerts: checked("atRiskAlerts"), missedAlerts: checked("missedAlerts"), weeklyDigest: checked("weeklyDigest"),
        monthlyReports: checked("monthlyReports"),
      });
      status.textContent = "Saved.";
      announce("Settings saved.");
    });
    body.replaceChildren(status, form);
  }).catch((error) => body.replaceChildren(errorBox(error)));
};
