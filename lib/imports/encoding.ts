// Uploads arrive in parts and a part may end inside a character, so each part is decoded up
// to its last complete character and the rest is carried to the next part. Excel writes
// UTF-8 (with a BOM), UTF-16 ("Unicode text"), or the ANSI code page, which on Chinese
// Windows is GBK; GB18030 is GBK's superset.

export type FileEncoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030";

export interface Detected {
  encoding: FileEncoding;
  /** Bytes of a byte order mark to drop. */
  bomLength: number;
}

/** The encoding of a file from its first bytes: a byte order mark, else valid UTF-8, else GB18030. */
export function detectEncoding(head: Uint8Array): Detected {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, completePrefixLength(head, "utf-8")));
    return { encoding: "utf-8", bomLength: 0 };
  } catch {
    return { encoding: "gb18030", bomLength: 0 };
  }
}

/** How many leading bytes form whole characters (the rest starts a character cut short). */
export function completePrefixLength(bytes: Uint8Array, encoding: FileEncoding): number {
  const length = bytes.length;
  if (encoding === "utf-8") {
    // Look back at most 3 bytes for the lead byte of the last sequence.
    for (let back = 1; back <= Math.min(3, length); back++) {
      const byte = bytes[length - back];
      if ((byte & 0xc0) === 0x80) continue; // continuation byte
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return needed > back ? length - back : length;
    }
    return length;
  }
  if (encoding === "gb18030") {
    // Walk from the start (a character boundary): 1, 2 or 4 bytes a character.
    let index = 0;
    while (index < length) {
      const byte = bytes[index];
      if (byte < 0x81 || byte === 0xff) {
        index += 1;
        continue;
      }
      if (index + 1 >= length) break;
      const second = bytes[index + 1];
      const size = second >= 0x30 && second <= 0x39 ? 4 : 2;
      if (index + size > length) break;
      index += size;
    }
    return index;
  }
  // UTF-16: whole code units, and not a high surrogate waiting for its pair.
  let end = length - (length % 2);
  if (end >= 2) {
    const unit = encoding === "utf-16le" ? bytes[end - 2] | (bytes[end - 1] << 8) : (bytes[end - 2] << 8) | bytes[end - 1];
    if (unit >= 0xd800 && unit <= 0xdbff) end -= 2;
  }
  return end;
}
