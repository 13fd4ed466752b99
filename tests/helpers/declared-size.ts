import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';

/**
 * A valid 1×1 PNG or baseline JPEG whose header then claims width × height: a few hundred bytes that
 * a decoder without a size check would allocate the whole declared image for.
 */

export function pngDeclaring(width: number, height: number): Buffer {
  const bytes = PNG.sync.write(Object.assign(new PNG({ width: 1, height: 1 }), { data: Buffer.from([255, 255, 255, 255]) }));
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  // The CRC covers the chunk type and data (bytes 12..28), so the header stays well formed.
  bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)), 29);
  return bytes;
}

export function jpegDeclaring(jpegBytes: Uint8Array, width: number, height: number): Buffer {
  const bytes = Buffer.from(jpegBytes);
  const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('not a baseline JPEG');
  // FFC0, length (2), precision (1), then height and width.
  bytes.writeUInt16BE(height, sof + 5);
  bytes.writeUInt16BE(width, sof + 7);
  return bytes;
}
