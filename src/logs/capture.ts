// supervisord's capture mode (dispatchers.py POutputDispatcher.record_output), for a channel
// whose *_capture_maxbytes is set: output between <!--XSUPERVISOR:BEGIN--> and
// <!--XSUPERVISOR:END--> goes into a bounded buffer instead of the log file, and each completed
// block becomes one PROCESS_COMMUNICATION event. Every other piece goes to the log as usual.
// Every piece, captured or not, is also reported as output (PROCESS_LOG events see both, as in
// supervisord).
//
// One difference, on purpose: supervisord holds back *all* output while it is no longer than a
// token (24 bytes), so a short last line ("done\n") can sit unlogged forever; tend holds back only
// a tail that could be the start of a token, and writes it when the pipe ends.

const BEGIN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
const END = Buffer.from('<!--XSUPERVISOR:END-->');
const EMPTY = Buffer.alloc(0);

export interface CaptureTarget {
  /** A piece of output as supervisord's _log sees it; `captured` pieces are not for the log file. */
  piece(data: Buffer, captured: boolean): void;
  /** A completed capture block (PROCESS_COMMUNICATION). */
  communicate(data: Buffer): void;
}

/** The longest proper prefix of `token` that `data` ends with (asynchat's find_prefix_at_end). */
export const prefixAtEnd = (data: Buffer, token: Buffer): number => {
  for (let l = Math.min(token.length - 1, data.length); l > 0; l--) {
    if (data.subarray(data.length - l).equals(token.subarray(0, l))) return l;
  }
  return 0;
};

export class CaptureSplitter {
  readonly #maxbytes: number;
  readonly #target: CaptureTarget;
  #buffer: Buffer = EMPTY;
  #capturing = false;
  #captured: Buffer = EMPTY;

  constructor(maxbytes: number, target: CaptureTarget) {
    this.#maxbytes = maxbytes;
    this.#target = target;
  }

  /** Output from a new child: no block is open, nothing is held. */
  reset(): void {
    this.#buffer = EMPTY;
    this.#capturing = false;
    this.#captured = EMPTY;
  }

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const data = this.#buffer;
      const token = this.#capturing ? END : BEGIN;
      const at = data.indexOf(token);
      if (at === -1) {
        const held = prefixAtEnd(data, token);
        // What is held outlives the read buffer it came in: copy it.
        this.#buffer = held === 0 ? EMPTY : Buffer.from(data.subarray(data.length - held));
        this.#log(data.subarray(0, data.length - held));
        return;
      }
      this.#log(data.subarray(0, at));
      this.#toggle();
      this.#buffer = data.subarray(at + token.length);
      if (this.#buffer.length === 0) return;
    }
  }

  /** The pipe ended: a held tail that never became a token is output after all. */
  end(): void {
    const held = this.#buffer;
    this.#buffer = EMPTY;
    if (!this.#capturing) this.#log(held);
  }

  #log(data: Buffer): void {
    if (data.length === 0) return;
    if (this.#capturing) this.#keep(data);
    this.#target.piece(data, this.#capturing);
  }

  // loggers.py BoundIO.write: past maxbytes, drop as many bytes from the front as are added.
  #keep(data: Buffer): void {
    const kept =
      this.#captured.length + data.length > this.#maxbytes
        ? this.#captured.subarray(data.length)
        : this.#captured;
    this.#captured = Buffer.concat([kept, data]);
  }

  #toggle(): void {
    this.#capturing = !this.#capturing;
    if (this.#capturing) return;
    const block = this.#captured;
    this.#captured = EMPTY;
    this.#target.communicate(block);
  }
}
