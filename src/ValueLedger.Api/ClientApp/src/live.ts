import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { currentSession } from "./auth";
import type { AccountView, CommitmentAtRiskMessage, CommitmentMissedMessage, PortfolioView } from "./types";

export type LiveState = "connecting" | "live" | "reconnecting" | "offline";

type Handlers = {
  portfolioChanged: (view: PortfolioView) => void;
  accountChanged: (view: AccountView) => void;
  commitmentAtRisk: (message: CommitmentAtRiskMessage) => void;
  commitmentMissed: (message: CommitmentMissedMessage) => void;
};

/**
 * One connection to /hubs/value for the whole page. It reconnects by itself (never giving up: a dashboard on a wall
 * must come back after a network blip or a deploy), and after every reconnect it watches again what the page
 * watches; each watch answers at once with the current state, so nothing is missed while it was away.
 */
class Live {
  private connection: HubConnection | null = null;
  private watchingPortfolio = false;
  private watchedAccounts = new Set<string>();
  private listeners: { [K in keyof Handlers]: Set<Handlers[K]> } = {
    portfolioChanged: new Set(),
    accountChanged: new Set(),
    commitmentAtRisk: new Set(),
    commitmentMissed: new Set(),
  };
  private stateListeners = new Set<(state: LiveState) => void>();
  private startTimer: number | undefined;
  state: LiveState = "offline";

  on<K extends keyof Handlers>(name: K, handler: Handlers[K]): () => void {
    (this.listeners[name] as Set<Handlers[K]>).add(handler);
    return () => (this.listeners[name] as Set<Handlers[K]>).delete(handler);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  async watchPortfolio(): Promise<void> {
    this.watchingPortfolio = true;
    await this.invoke("WatchPortfolio");
  }

  async unwatchPortfolio(): Promise<void> {
    this.watchingPortfolio = false;
    await this.invoke("UnwatchPortfolio");
  }

  async watchAccount(accountId: string): Promise<void> {
    this.watchedAccounts.add(accountId);
    await this.invoke("WatchAccount", accountId);
  }

  async unwatchAccount(accountId: string): Promise<void> {
    this.watchedAccounts.delete(accountId);
    await this.invoke("Unwatch", accountId);
  }

  /** Connects when signed in (idempotent). */
  start(): void {
    if (this.connection || !currentSession()) return;
    const connection = new HubConnectionBuilder()
      .withUrl("/hubs/value", { accessTokenFactory: () => currentSession()?.token ?? "" })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => Math.min(1000 * 2 ** context.previousRetryCount, 15000) })
      .configureLogging(LogLevel.Warning)
      .build();
    for (const name of Object.keys(this.listeners) as (keyof Handlers)[]) {
      connection.on(name, (payload: never) => this.listeners[name].forEach((handler) => (handler as (p: never) => void)(payload)));
    }
    connection.onreconnecting(() => this.setState("reconnecting"));
    connection.onreconnected(() => {
      this.setState("live");
      void this.rewatch();
    });
    connection.onclose(() => {
      if (this.connection !== connection) return;
      this.setState("offline");
      this.scheduleStart(connection, 3000);
    });
    this.connection = connection;
    this.scheduleStart(connection, 0);
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    window.clearTimeout(this.startTimer);
    this.watchingPortfolio = false;
    this.watchedAccounts.clear();
    this.setState("offline");
    if (connection) await connection.stop();
  }

  private scheduleStart(connection: HubConnection, delay: number): void {
    window.clearTimeout(this.startTimer);
    this.startTimer = window.setTimeout(async () => {
      if (this.connection !== connection || connection.state !== HubConnectionState.Disconnected) return;
      this.setState("connecting");
      try {
        await connection.start();
        this.setState("live");
        await this.rewatch();
      } catch {
        this.setState("offline");
        this.scheduleStart(connection, Math.min(Math.max(delay * 2, 2000), 15000));
      }
    }, delay);
  }

  private async rewatch(): Promise<void> {
    if (this.watchingPortfolio) await this.invoke("WatchPortfolio");
    for (const accountId of this.watchedAccounts) await this.invoke("WatchAccount", accountId);
  }

  private async invoke(method: string, ...args: unknown[]): Promise<void> {
    const connection = this.connection;
    if (!connection || connection.state !== HubConnectionState.Connected) return; // (re)connecting: rewatch() will do it
    try {
      await connection.invoke(method, ...args);
    } catch (error) {
      console.warn(`${method} failed`, error);
    }
  }

  private setState(state: LiveState): void {
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}

export const live = new Live();
