// The guard's API families, one module each, installed in this order.

export interface Feature {
  readonly name: string;
  /** Installs the feature's wrappers into one window (realm). */
  init(win: typeof globalThis): void;
}
