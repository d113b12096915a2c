// The buffers of one writev, and the arithmetic of partial writes.

export class Batch {
  readonly buffers: Buffer[] = [];
  bytes = 0;

  add(buffer: Buffer): void {
    if (buffer.length === 0) return;
    this.buffers.push(buffer);
    this.bytes += buffer.length;
  }

  /** Writes what is held (if anything) with `write`, empties the batch, and says if it went. */
  drain(write: (buffers: Buffer[], bytes: number) => boolean): boolean {
    if (this.buffers.length === 0) return true;
    const buffers = this.buffers.splice(0);
    const bytes = this.bytes;
    this.bytes = 0;
    return write(buffers, bytes);
  }
}

/** `buffers` without their first `count` bytes. */
export const skipBytes = (buffers: readonly Buffer[], count: number): Buffer[] => {
  const out: Buffer[] = [];
  let skip = count;
  for (const b of buffers) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    out.push(skip > 0 ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
};

/** The first `count` bytes of `buffers`. */
export const firstBytes = (buffers: readonly Buffer[], count: number): Buffer[] => {
  const out: Buffer[] = [];
  let left = count;
  for (const b of buffers) {
    if (left <= 0) break;
    out.push(left < b.length ? b.subarray(0, left) : b);
    left -= b.length;
  }
  return out;
};
