// What /readyz answers: ready only once everything a review needs is loaded, and never again
// once shutdown has begun (so endpoints stop sending reviews while in-flight ones finish).

/** Things loaded before the first review: files, then each cluster cache (`cache <resource>`). */
export type Prerequisite = 'policy-config' | 'schemas' | `cache ${string}`;

export class Readiness {
  private readonly pending = new Set<Prerequisite>(['policy-config', 'schemas']);
  private stopping = false;

  /** Something more to load before the first review. */
  requires(what: Prerequisite): void {
    this.pending.add(what);
  }

  loaded(what: Prerequisite): void {
    this.pending.delete(what);
  }

  /** Shutdown began: not ready from now on. */
  shutDown(): void {
    this.stopping = true;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  get ready(): boolean {
    return !this.stopping && this.pending.size === 0;
  }

  /** Why not ready, for the /readyz body and the logs. */
  reasons(): string[] {
    return [...(this.stopping ? ['shutting down'] : []), ...[...this.pending].map((p) => `${p} not loaded`)];
  }
}
