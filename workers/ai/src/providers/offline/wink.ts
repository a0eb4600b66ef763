/**
 * One wink-nlp instance for the worker. Loading the English model costs a few
 * milliseconds, so it is done once per isolate, on first use, not on import
 * (a task that never needs it, or a language it does not know, never pays).
 */
import winkNLP, { type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";

let instance: WinkMethods | undefined;

/** The shared wink-nlp instance with the English lite model. */
export function wink(): WinkMethods {
  instance ??= winkNLP(model);
  return instance;
}
