import type { ImageSet } from '../../shared/datasets/image-set';
import { MNIST_SIZE, preprocessDigit } from '../../shared/preprocess/mnist-preprocess';
import type { RobustnessVariant } from '../../shared/robustness';
import { shiftSet } from '../data/shift';
import { transformImage } from '../ml/augment';

/** A copy of the set as one robustness variant sees it; the labels are shared, never copied. */
export function transformSet(set: ImageSet, variant: RobustnessVariant): ImageSet {
  switch (variant.family) {
    case 'shift':
      // Whole pixels, exactly: no interpolation blur mixed into what the shift alone does.
      return shiftSet(set, variant.dx, variant.dy);
    case 'rotate':
    case 'scale':
      return mapImages(set, (src, offset, out) => {
        const floats = new Float32Array(set.rows * set.cols);
        transformImage(src, offset, set.rows, set.cols, variant, floats, 0);
        for (let i = 0; i < floats.length; i++) out[i] = Math.round(floats[i]);
      });
    case 'recentre':
      if (set.rows !== MNIST_SIZE || set.cols !== MNIST_SIZE) {
        throw new Error(`re-centring makes ${MNIST_SIZE}×${MNIST_SIZE} images; this set's are ${set.rows}×${set.cols}`);
      }
      return mapImages(set, (src, offset, out) => {
        const size = set.rows * set.cols;
        const data = new Float32Array(size);
        for (let i = 0; i < size; i++) data[i] = src[offset + i] / 255;
        const result = preprocessDigit({ width: set.cols, height: set.rows, data });
        // A blank image has nothing to centre: it stays blank.
        if (result) for (let i = 0; i < size; i++) out[i] = Math.round(result.input[i] * 255);
      });
  }
}

function mapImages(set: ImageSet, write: (src: Uint8Array, offset: number, out: Uint8Array) => void): ImageSet {
  const size = set.rows * set.cols;
  const images = new Uint8Array(set.images.length);
  for (let i = 0; i < set.count; i++) write(set.images, i * size, images.subarray(i * size, (i + 1) * size));
  return { ...set, images };
}
