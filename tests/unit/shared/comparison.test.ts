import { describe, expect, it } from 'vitest';
import { scoreOf } from '$shared/comparison';

describe('scoreOf', () => {
  it('takes the most probable class of each image, and gives recall per class (0 for a class without images)', () => {
    // Four images, three classes: truths 0, 0, 1, 1; predictions 0, 1, 1, 1.
    const probabilities = Float32Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.6, 0.3, 0.3, 0.4, 0.3]);
    expect(scoreOf(probabilities, new Uint8Array([0, 0, 1, 1]), 3)).toEqual({ accuracy: 0.75, recall: [0.5, 1, 0] });
  });
});
