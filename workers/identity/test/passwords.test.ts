import { describe, expect, it } from "vitest";
import { DECOY_HASH, ITERATIONS, hashPassword, verifyPassword } from "../src/passwords";

describe("password hashing", () => {
  it("stores PBKDF2 with its cost and a 16-byte random salt, and verifies the right password only", async () => {
    const stored = await hashPassword("correct horse battery");
    const [scheme, iterations, salt, hash] = stored.split("$");
    expect(scheme).toBe("pbkdf2");
    expect(Number(iterations)).toBe(ITERATIONS);
    expect(atob(salt ?? "")).toHaveLength(16);
    expect(atob(hash ?? "")).toHaveLength(32);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
  });

  it("salts every hash: the same password never hashes the same twice", async () => {
    expect(await hashPassword("same password here")).not.toBe(await hashPassword("same password here"));
  });

  it.each([
    ["another scheme", "bcrypt$10$abc$def"],
    ["more iterations than workerd allows", `pbkdf2$200000$${btoa("saltsaltsaltsalt")}$${btoa("x".repeat(32))}`],
    ["bad base64", "pbkdf2$100000$!!!$???"],
    ["missing parts", "pbkdf2$100000"],
  ])("never matches (or throws on) a stored value with %s", async (_label, stored) => {
    expect(await verifyPassword("anything at all", stored)).toBe(false);
  });

  it("has a decoy hash that is well formed and matches nothing likely", async () => {
    expect(DECOY_HASH.split("$")).toHaveLength(4);
    expect(await verifyPassword("", DECOY_HASH)).toBe(false);
  });
});
