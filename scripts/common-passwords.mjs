// Writes the 10,000 most common passwords, which identity refuses, from @zxcvbn-ts/language-common (its
// `passwords-common` dictionary, ranked by how often each appeared in leaked password lists) into
// workers/identity/src/common-passwords.json. The dictionary holds ~49,000 entries and would add ~200 KiB gzipped
// to identity's bundle; its first 10,000 add ~40 KiB. Identity's tests check the file against the package, so an
// upgrade of the package that changes the list fails them until this script is run again.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { dictionary } from "@zxcvbn-ts/language-common";

export const COMMON_PASSWORDS = 10_000;
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../workers/identity/src/common-passwords.json");

const list = dictionary["passwords-common"].slice(0, COMMON_PASSWORDS);
// One password a line, so a diff after an upgrade shows what changed.
writeFileSync(out, `[\n${list.map((p) => JSON.stringify(p)).join(",\n")}\n]\n`);
console.log(`wrote ${list.length} passwords to ${path.relative(process.cwd(), out)}`);
