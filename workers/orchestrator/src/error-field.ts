/** An error as a log field: Errors keep name and message (the logger drops the stack), anything else becomes a string. */
export function errorOf(err: unknown): Error | string {
  return err instanceof Error ? err : String(err);
}
