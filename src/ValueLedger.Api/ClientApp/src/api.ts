import { currentSession, signOut } from "./auth";
import type { Problem } from "./types";

export class ApiError extends Error {
  constructor(public status: number, public problem: Problem) {
    super(problem.detail ?? problem.title ?? `The server answered ${status}.`);
  }

  /** The field errors of a 400, as one readable line. */
  get fieldErrors(): string {
    return Object.values(this.problem.errors ?? {}).flat().join(" ");
  }
}

async function send<T>(method: string, url: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const bearer = token ?? currentSession()?.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) {
    // A form (a file upload) sets its own multipart content type.
    if (body instanceof Blob) headers["Content-Type"] = body.type || "application/octet-stream";
    else if (!(body instanceof FormData)) headers["Content-Type"] = "application/json";
    // Every write carries its own idempotency key, so a double click or a retried request writes once.
    headers["Idempotency-Key"] = crypto.randomUUID();
  }
  const payload = body === undefined ? undefined : body instanceof FormData || body instanceof Blob ? body : JSON.stringify(body);
  const response = await fetch(url, { method, headers, body: payload });
  if (response.status === 401 && !token) {
    signOut();
    location.hash = "#/sign-in";
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, (json ?? { title: response.statusText }) as Problem);
  return json as T;
}

export const api = {
  get: <T>(url: string, token?: string) => send<T>("GET", url, undefined, token),
  post: <T>(url: string, body: unknown, token?: string) => send<T>("POST", url, body, token),
  /** Uploads one file as multipart/form-data, in the field "file". */
  upload: <T>(url: string, file: File) => {
    const form = new FormData();
    form.append("file", file);
    return send<T>("POST", url, form);
  },
  put: <T>(url: string, body: unknown) => send<T>("PUT", url, body),
  patch: <T>(url: string, body: unknown) => send<T>("PATCH", url, body),
  delete: <T>(url: string) => send<T>("DELETE", url),
};
