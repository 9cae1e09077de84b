import { currentSession } from "./auth";

/** Fetches a file of the API with the signed-in person's token (a plain link could not carry it). */
export async function fetchFile(url: string, what: string): Promise<Blob> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${currentSession()?.token ?? ""}` } });
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as { detail?: string; title?: string } | null;
    throw new Error(`${what}: ${problem?.detail ?? problem?.title ?? `the server answered ${response.status}`}`);
  }
  return response.blob();
}

/** Saves a blob as a file, as a download link would. */
export function saveBlob(blob: Blob, file: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = file;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/**
 * Shows a fetched document in a new tab. The tab opens at the click (so no popup blocker stops it) and gets the
 * document once it has arrived; a failure closes it again.
 */
export async function openInNewTab(load: () => Promise<Blob>): Promise<void> {
  const tab = window.open("about:blank", "_blank");
  try {
    const href = URL.createObjectURL(await load());
    if (tab) tab.location.href = href;
    else location.href = href;
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  } catch (error) {
    tab?.close();
    throw error;
  }
}
