/**
 * An optional secret by name: wrangler types knows only the required ones, so an optional secret is not in the
 * generated Env; it is read by name and checked to be a non-empty string.
 */
export function optionalSecret(env: object, name: string): string | undefined {
  const value: unknown = Reflect.get(env, name);
  return typeof value === "string" && value ? value : undefined;
}
