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
    headers["Content-Type"] = "application/json";
    // Every write carries its own idempotency key, so a double click or a retried request writes once.
    headers["Idempotency-Key"] = crypto.randomUUID();
  }
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
  put: <T>(url: string, body: unknown) => send<T>("PUT", url, body),
  patch: <T>(url: string, body: unknown) => send<T>("PATCH", url, body),
  delete: <T>(url: string) => send<T>("DELETE", url),
};
