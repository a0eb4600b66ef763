/** The data of each server-sent event of a streamed answer, as it arrives (OpenAI's and Workers AI's streams alike). */
import { EventSourceParserStream } from "eventsource-parser/stream";

export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.data === "[DONE]") return;
      yield value.data;
    }
  } finally {
    reader.releaseLock();
  }
}
