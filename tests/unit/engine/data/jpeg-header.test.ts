import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { jpegDeclaredSize } from '$engine/data/jpeg-header';
import { jpegDeclaring } from '$tests/helpers/declared-size';

const small = Buffer.from(jpeg.encode({ width: 8, height: 6, data: Buffer.alloc(8 * 6 * 4, 255) }, 90).data);

describe('jpegDeclaredSize', () => {
  it('gives the size the frame header declares, past APPn segments and fill bytes', () => {
    expect(jpegDeclaredSize(small)).toEqual({ width: 8, height: 6 });
    expect(jpegDeclaredSize(jpegDeclaring(small, 4032, 3024))).toEqual({ width: 4032, height: 3024 });
    // An EXIF-like APP1 of 1000 bytes and two fill bytes after the SOI.
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0x03, 0xea]), Buffer.alloc(1000)]);
    expect(jpegDeclaredSize(Buffer.concat([small.subarray(0, 2), Buffer.from([0xff, 0xff]), app1, small.subarray(2)]))).toEqual({ width: 8, height: 6 });
  });

  it('gives null for what is not a JPEG, one cut short, and a height left to a DNL segment', () => {
    expect(jpegDeclaredSize(new TextEncoder().encode('not a jpeg'))).toBeNull();
    expect(jpegDeclaredSize(small.subarray(0, small.indexOf(Buffer.from([0xff, 0xc0])) + 6))).toBeNull();
    expect(jpegDeclaredSize(jpegDeclaring(small, 8, 0))).toBeNull();
  });
});
