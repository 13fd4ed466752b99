import type { ImageSet } from '../../shared/datasets/image-set';
import { DatasetError } from './dataset-error';
import { checkSize, openRegularFile } from './read-regular-file';

/**
 * Reads an image dataset from CSV, one image a line: a label then the pixels, row-major, each a whole
 * number 0..255 — Kaggle's `train.csv` (header `label,pixel0,…,pixel783`) or the same without a
 * header. The file is streamed and parsed byte by byte into the output, so memory stays at the images
 * themselves (784 bytes each) plus one chunk, whatever the file's size.
 */

export interface CsvDataset {
  set: ImageSet;
  /** Largest label + 1. */
  numClasses: number;
  hasHeader: boolean;
}

export interface ReadCsvOptions {
  /** Default CSV_LIMITS.maxBytes. */
  maxBytes?: number;
  /** Default CSV_LIMITS.maxImages. */
  maxImages?: number;
}

/** What a CSV import reads at most: 512 MiB (Kaggle's 42,000-image train.csv is 76 MB) and a million images. */
export const CSV_LIMITS = { maxBytes: 512 * 1024 * 1024, maxImages: 1_000_000 };

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const NINE = 0x39;
const EXPECTED = 'a CSV file of a label then pixel values per line';
/** The side every import is held to (IDX too, and the imported dataset's manifest). */
const MAX_SIDE = 256;
const MAX_FIELDS = 1 + MAX_SIDE * MAX_SIDE;
/**
 * The first buffer: 1024 images, but no more than 1 MiB of them, so one line of 1 + 1000² values in
 * a 2 MB file cannot ask for 1 GiB before a second line is read.
 */
const FIRST_IMAGES = 1024;
const FIRST_BYTES = 1 << 20;

export async function readCsvDataset(file: string, opts: ReadCsvOptions = {}): Promise<CsvDataset> {
  const { handle, size } = await openRegularFile(file, EXPECTED);
  try {
    checkSize(file, size, opts.maxBytes ?? CSV_LIMITS.maxBytes, EXPECTED);
    const parser = new CsvParser(file, opts.maxImages ?? CSV_LIMITS.maxImages);
    const chunk = new Uint8Array(1 << 20);
    let position = 0;
    while (position < size) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - position), position);
      if (bytesRead === 0) break;
      parser.push(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
    return parser.finish();
  } finally {
    await handle.close();
  }
}

const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** The byte-level state machine; exported for tests that feed it in odd chunk sizes. */
export class CsvParser {
  private line = 1;
  private column = 1;
  private value = 0;
  private digits = 0;
  /** Line 1 starts with a letter: it is the header (`label,pixel0,…`), whose names are not numbers. */
  private headerLine = false;
  private firstName: number[] = [];
  private row: number[] = [];
  private fields = 0;
  private hasHeader = false;
  private images = new Uint8Array(0);
  private labels = new Uint8Array(0);
  private count = 0;
  private maxLabel = 0;
  /** How many bytes of a UTF-8 byte order mark (Excel writes one) the file has begun with so far; -1 once past it. */
  private bom = 0;

  constructor(
    private readonly file: string,
    private readonly maxImages: number,
  ) {}

  push(bytes: Uint8Array): void {
    let i = 0;
    // The mark may come split across chunks; bytes that only began like one are parsed as they are.
    for (; this.bom >= 0 && i < bytes.length; i++) {
      if (bytes[i] === UTF8_BOM[this.bom]) {
        if (++this.bom === UTF8_BOM.length) this.bom = -1;
        continue;
      }
      const begun = UTF8_BOM.subarray(0, this.bom);
      this.bom = -1;
      this.parse(begun);
      break;
    }
    this.parse(bytes.subarray(i));
  }

  private parse(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b >= ZERO && b <= NINE) {
        if (this.digits < 4) this.value = this.value * 10 + (b - ZERO);
        this.digits++;
        if (this.headerLine && this.column === 1 && this.firstName.length < 40) this.firstName.push(b);
      } else if (b === COMMA) {
        this.endField();
      } else if (b === NEWLINE) {
        this.endLine();
      } else if (b === RETURN || b === SPACE || b === TAB) {
        // Windows line ends and padding around numbers.
      } else if (this.line === 1 && (this.headerLine || (this.column === 1 && this.digits === 0))) {
        this.headerLine = true;
        if (this.column === 1 && this.firstName.length < 40) this.firstName.push(b);
      } else {
        this.failAt(`"${String.fromCharCode(b)}" is not part of a whole number 0..255`);
      }
    }
  }

  finish(): CsvDataset {
    if (this.digits > 0 || this.row.length > 0 || this.headerLine) this.endLine();
    if (this.count === 0) throw new DatasetError(this.file, 'holds no images: no line has a label and pixel values');
    const pixels = this.fields - 1;
    const side = Math.round(Math.sqrt(pixels));
    return {
      set: {
        images: this.images.subarray(0, this.count * pixels),
        labels: this.labels.subarray(0, this.count),
        count: this.count,
        rows: side,
        cols: side,
      },
      numClasses: this.maxLabel + 1,
      hasHeader: this.hasHeader,
    };
  }

  private endField(): void {
    if (this.headerLine) {
      const name = String.fromCharCode(...this.firstName).toLowerCase();
      if (this.column === 1 && name !== 'label') {
        this.failLine(`the header starts with "${name}", but its first column must be "label"`);
      }
      this.keep(0);
    } else if (this.digits === 0) {
      this.failAt('the value is empty');
    } else if (this.digits > 3 || this.value > 255) {
      const what = this.column === 1 ? 'the label' : `pixel ${this.column - 2}`;
      this.failAt(`${what} is ${this.digits > 3 ? 'over 999' : this.value}, outside 0..255`);
    } else {
      this.keep(this.value);
    }
    this.value = 0;
    this.digits = 0;
    this.column++;
  }

  private endLine(): void {
    const blank = this.row.length === 0 && this.digits === 0 && !this.headerLine;
    if (!blank) {
      const header = this.headerLine;
      this.endField();
      // Counted by column, as `keep` stops storing the values of a line longer than any image.
      const values = this.column - 1;
      if (header) {
        this.hasHeader = true;
        this.setFields(values);
        this.headerLine = false;
      } else {
        if (this.fields === 0) this.setFields(values);
        if (values !== this.fields) {
          this.failLine(`has ${values} values, but ${this.fields} are expected (a label and ${this.fields - 1} pixels)`);
        }
        this.addImage();
      }
    }
    this.row = [];
    this.line++;
    this.column = 1;
  }

  private setFields(fields: number): void {
    const pixels = fields - 1;
    const side = Math.round(Math.sqrt(pixels));
    if (pixels < 1 || side * side !== pixels) {
      this.failLine(`has ${fields} columns: a label and ${pixels} pixels, which is not a square image (28×28 needs 784)`);
    }
    if (side > MAX_SIDE) {
      this.failLine(`has ${fields} columns: a label and ${side}×${side} pixels; at most ${MAX_SIDE}×${MAX_SIDE} can be imported`);
    }
    this.fields = fields;
  }

  /** Stores a line's value while the line can still be an image: a longer one fails at its end. */
  private keep(value: number): void {
    if (this.row.length < (this.fields || MAX_FIELDS)) this.row.push(value);
  }

  private addImage(): void {
    if (this.count >= this.maxImages) this.failLine(`is one image more than the ${this.maxImages} allowed`);
    const pixels = this.fields - 1;
    if ((this.count + 1) * pixels > this.images.length) {
      const first = Math.max(1, Math.min(FIRST_IMAGES, Math.floor(FIRST_BYTES / pixels)));
      const capacity = Math.min(this.maxImages, Math.max(first, this.count * 2));
      const images = new Uint8Array(capacity * pixels);
      images.set(this.images);
      const labels = new Uint8Array(capacity);
      labels.set(this.labels);
      this.images = images;
      this.labels = labels;
    }
    const label = this.row[0];
    this.labels[this.count] = label;
    if (label > this.maxLabel) this.maxLabel = label;
    for (let p = 0; p < pixels; p++) this.images[this.count * pixels + p] = this.row[p + 1];
    this.count++;
  }

  private failLine(problem: string): never {
    throw new DatasetError(this.file, `line ${this.line}: ${problem}`);
  }

  private failAt(problem: string): never {
    throw new DatasetError(this.file, `line ${this.line}, column ${this.column}: ${problem}`);
  }
}
