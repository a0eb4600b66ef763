/**
 * A page's slug, on its own: the public API's content schemas name it, and the gateway builds its OpenAPI document
 * from them, so it must not bring markdown.ts's YAML and markdown renderer into the gateway's bundle.
 */
import { z } from "zod";

/** A slug becomes a URL path and a storage key: lowercase letters, digits and single dashes. */
export const Slug = z.string().max(100, "at most 100 characters").regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and dashes");
