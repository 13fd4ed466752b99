import { MNIST_SIZE } from '$shared/preprocess/mnist-preprocess';

/** The side of the image every MLP Lab model takes (MNIST's 28), and its pixel count, the first layer's inputs. */
export const INPUT_SIDE = MNIST_SIZE;
export const INPUT_PIXELS = INPUT_SIDE * INPUT_SIDE;

/** The Draw canvas's own size in drawing units; strokes are recorded in these, whatever its size on screen. */
export { DRAW_FIELD } from '$shared/preprocess/rasterize-strokes';
