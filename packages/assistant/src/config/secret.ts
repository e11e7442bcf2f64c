import { inspect } from 'node:util';

/** Shows the first characters of a secret and hides the rest: `sk-t…(22 chars)`. */
export function maskSecret(value: string): string {
  if (value.length === 0) return '';
  const head = value.length > 8 ? value.slice(0, 4) : '';
  return `${head}…(${value.length} chars)`;
}

/**
 * A secret setting (an API key). It prints masked everywhere — `String()`, `JSON.stringify`, `util.inspect`
 * (and so pino and `console.log`) — and gives its value only through {@link Secret.reveal}.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret's value, for the one place that needs it (the connection). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return maskSecret(this.#value);
  }

  toJSON(): string {
    return maskSecret(this.#value);
  }

  [inspect.custom](): string {
    return `Secret(${maskSecret(this.#value)})`;
  }
}
