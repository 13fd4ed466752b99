/**
 * What every MLP Lab model takes and gives by default: MNIST's images, 28×28 grey levels with one input
 * per pixel, and the ten digits. Imports are held to the image size; the class count is only a default,
 * used before a dataset says how many classes it has.
 */
export const MODEL_IMAGE = Object.freeze({ rows: 28, cols: 28 });
/** Inputs per image: 784. */
export const MODEL_INPUTS = MODEL_IMAGE.rows * MODEL_IMAGE.cols;
/** The ten digits: classes assumed until a dataset (or a model) says otherwise. */
export const DIGIT_CLASSES = 10;
