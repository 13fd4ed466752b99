/**
 * The size a JPEG declares in its frame header (SOFn), found before jpeg-js decodes it, so an image too
 * large to decode can be named with its size. The frame header follows any APPn segments (EXIF, with a
 * thumbnail, can be 64 KB), so the whole file is walked, segment by segment, up to the scan.
 */

/** SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** The width and height of the first frame header, or null when none comes before the scan (jpeg-js then judges the file). */
export function jpegDeclaredSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    // Fill bytes, and markers without a length (TEM, RSTn).
    if (marker === 0xff) at += 1;
    else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) at += 2;
    else if (isFrame(marker)) {
      // FFCn, length (2), precision (1), height (2), width (2).
      if (at + 9 > bytes.length) return null;
      const height = (bytes[at + 5] << 8) | bytes[at + 6];
      // A height of 0 is given later, by a DNL segment.
      return height > 0 ? { width: (bytes[at + 7] << 8) | bytes[at + 8], height } : null;
    } else if (marker === 0xda || marker === 0xd9) return null;
    else at += 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
  }
  return null;
}
