/**
 * The keys that verify access tokens, held in isolate memory so a request costs no call to identity. The set is
 * fetched from identity (`IdentityApi.jwks()`) when it is older than `maxAgeMs`, and again when a token names a kid
 * the set lacks — at most once per `unknownKidEveryMs`, so tokens with made-up kids cannot hammer identity. Identity
 * publishes a new key a minute before it signs with it (longer than that interval), so no rightful token is refused
 * for want of a fetch.
 */
import { ACCESS_TOKEN_ALG, type VerificationKey } from "@statex/shared/access-token";
import { importJWK } from "jose";

type Held = { key: Promise<CryptoKey>; verifyUntil: number | null };

export type KeySetOptions = {
  /** How long a fetched set is used before it is fetched again. */
  maxAgeMs: number;
  /** The least time between two fetches caused by an unknown kid (or by a failed fetch). */
  unknownKidEveryMs: number;
};

export const KEY_SET_DEFAULTS: KeySetOptions = { maxAgeMs: 5 * 60_000, unknownKidEveryMs: 10_000 };

export class VerificationKeys {
  #held = new Map<string, Held>();
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #lastForced = Number.NEGATIVE_INFINITY;
  #failed = false;
  #pending: Promise<void> | undefined;

  constructor(
    private readonly load: () => Promise<VerificationKey[]>,
    private readonly options: KeySetOptions = KEY_SET_DEFAULTS,
  ) {}

  /**
   * The key named `kid` as of `now` (epoch ms), or null when identity does not know it or it is retired past its
   * grace. Throws `KeysUnavailable` only when there is no key at all to judge by (identity unreachable on a cold
   * isolate): a token then is neither valid nor proven invalid.
   */
  async key(kid: string, now: number): Promise<CryptoKey | null> {
    if (now - this.#fetchedAt >= this.options.maxAgeMs) await this.#refresh(now);
    if (!this.#held.has(kid) && now - this.#lastForced >= this.options.unknownKidEveryMs) {
      this.#lastForced = now;
      await this.#refresh(now);
    }
    if (!this.#held.size && this.#failed) throw new KeysUnavailable();
    const held = this.#held.get(kid);
    if (!held || (held.verifyUntil !== null && now >= held.verifyUntil)) return null;
    return held.key;
  }

  /** One fetch at a time: concurrent requests wait for the same one. A failed fetch keeps the keys already held. */
  async #refresh(now: number): Promise<void> {
    this.#pending ??= this.load()
      .then((keys) => {
        const next = new Map<string, Held>();
        for (const { jwk, verifyUntil } of keys) {
          // A kid's key never changes, so an imported key is kept across fetches.
          const key = this.#held.get(jwk.kid)?.key ?? importJWK(jwk, ACCESS_TOKEN_ALG);
          next.set(jwk.kid, { key, verifyUntil });
        }
        this.#held = next;
        this.#fetchedAt = now;
        this.#failed = false;
      })
      .catch(() => {
        // Keep serving what is held, and try again after the short interval rather than on every request.
        this.#fetchedAt = now - this.options.maxAgeMs + this.options.unknownKidEveryMs;
        this.#lastForced = now;
        this.#failed = true;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    await this.#pending;
  }
}

/** No key could be fetched yet: the gateway cannot tell a valid token from an invalid one. */
export class KeysUnavailable extends Error {
  constructor() {
    super("the keys that verify access tokens could not be fetched from identity");
    this.name = "KeysUnavailable";
  }
}
