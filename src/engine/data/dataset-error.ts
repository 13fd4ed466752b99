/**
 * A dataset file that cannot be used, with enough detail for a user to fix it: the message always
 * starts with the file so it reads well in a dialog or a CLI log, e.g.
 * `train-images-idx3-ubyte.gz: declared 60000 images but the data holds 59999`.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  /** Path (or bare name) of the offending file. */
  readonly file: string;
  /** What is wrong, in plain words, without the file prefix. */
  readonly problem: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.file = file;
    this.problem = problem;
  }
}

/**
 * An image declaring more pixels than may be decoded (a phone photo, a 300 dpi scan). An image folder
 * import skips it, as it skips a broken one, and counts the two apart in its message when nothing is left.
 */
export class ImageTooLargeError extends DatasetError {}
