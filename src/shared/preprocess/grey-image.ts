/** A single-channel image. */
export interface GreyImage {
  width: number;
  height: number;
  /** width × height values, row-major (index = row * width + column), 0..1 where 1 = ink. */
  data: Float32Array;
}
