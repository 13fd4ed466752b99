import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { AugmentSpec, Normalization } from '../../shared/model-spec';
import { drawAffine, inverseCoefficients } from '../ml/augment';
import type { DenseBlock } from '../ml/model';
import type { Random } from '../ml/random';
import type { StepResult } from '../ml/train-step';
import type { KernelInstance } from './kernel-module';
import { ACTIVATION_CODES, HYPER_FIELDS, MAX_KERNEL_LAYERS, OPTIMIZER_CODES, pad16, pad4, PTR, type Hyper } from './kernel-layout';
import { addIterations, adamPowers, stateSlots, STATE_FIELDS, type KernelOptimizerConfig } from './kernel-optimizer';

/**
 * A network laid out in the kernel's memory for one training run: its weights (kernels transposed,
 * rows padded to 16 floats), its optimizer's state and its batch buffers. Weights go in from the tfjs
 * model at the start and back out with storeWeights; the optimizer's state likewise, so that a run can
 * continue the state of an earlier one on either path.
 */
export class KernelNet {
  readonly dims: number[];
  private readonly pads: number[];
  private steps = 0;
  /** Adam's β1^t, β2^t as float32, advanced as tfjs advances its accBeta variables. */
  private accBeta1 = 0;
  private accBeta2 = 0;

  constructor(
    private readonly kernel: KernelInstance,
    private readonly blocks: readonly DenseBlock[],
    private readonly optimizer: KernelOptimizerConfig,
    private readonly l2: number,
    readonly maxBatch: number,
    /** The input is mostly zeros (MNIST's background): the first layer's products visit only the rest (c/sparse.c). */
    readonly sparseInput = false,
  ) {
    if (blocks.length > MAX_KERNEL_LAYERS) throw new Error(`the kernel takes at most ${MAX_KERNEL_LAYERS} dense layers`);
    this.dims = [blocks[0].kernel.shape[0] as number, ...blocks.map((b) => b.kernel.shape[1] as number)];
    this.pads = this.dims.map(pad16);
    const { exports } = kernel;
    const config = new Int32Array(exports.memory.buffer, exports.kn_config(), 64);
    const layers = blocks.length;
    config.set([layers, maxBatch, OPTIMIZER_CODES[optimizer.kind], ...this.dims]);
    blocks.forEach((block, l) => {
      config[4 + layers + l] = block.activation === 'softmax' ? 0 : ACTIVATION_CODES[block.activation];
      config[4 + 2 * layers + l] = block.dropout > 0 ? 1 : 0;
    });
    config[4 + 3 * layers] = sparseInput ? 1 : 0;
    const status = exports.kn_init();
    if (status !== 0) throw new Error(status === -1 ? 'the kernel could not get the memory for this network' : 'the kernel refused the network sizes');
  }

  private floats(what: number, layer: number, length: number): Float32Array {
    return new Float32Array(this.kernel.exports.memory.buffer, this.kernel.exports.kn_ptr(what, layer), length);
  }

  /** Copies a training set's bytes, labels and per-image scales in, for steps that fill their own batches. */
  loadData(set: ImageSet, scales: Float64Array, normalization: Normalization = 'divide255'): void {
    const { exports } = this.kernel;
    const size = set.rows * set.cols;
    const at = exports.kn_data(set.count, set.rows, set.cols, normalization === 'unit' ? 1 : 0);
    if (at === 0) throw new Error('the kernel could not get the memory for the training set');
    new Uint8Array(exports.memory.buffer, at, set.count * size).set(set.images.subarray(0, set.count * size));
    new Uint8Array(exports.memory.buffer, exports.kn_ptr(PTR.dataLabels, 0), set.count).set(set.labels.subarray(0, set.count));
    new Float64Array(exports.memory.buffer, exports.kn_ptr(PTR.scales, 0), set.count).set(scales);
  }

  /**
   * Floats of layer l's kernel (and of its optimizer state) in the kernel's memory: transposed, a row of
   * pad16(inputs) per unit; the first layer's on sparse input by input, a row of units rounded up to 4.
   */
  kernelLength(l: number): number {
    return this.byInput(l) ? this.dims[0] * pad4(this.dims[1]) : this.dims[l + 1] * this.pads[l];
  }

  private byInput(l: number): boolean {
    return l === 0 && this.sparseInput;
  }

  /** A tfjs kernel [inputs × units] into the kernel's layout for layer l (the padding stays 0). */
  private kernelIn(l: number, values: Float32Array, out: Float32Array): void {
    const [inputs, units] = [this.dims[l], this.dims[l + 1]];
    if (this.byInput(l)) for (let k = 0; k < inputs; k++) out.set(values.subarray(k * units, (k + 1) * units), k * pad4(units));
    else transposeIn(values, inputs, units, this.pads[l], out);
  }

  /** Layer l's kernel (or its state) from the kernel's layout, as tfjs holds it [inputs × units]. */
  private kernelOut(l: number, values: Float32Array): Float32Array {
    const [inputs, units] = [this.dims[l], this.dims[l + 1]];
    if (!this.byInput(l)) return transposeOut(values, inputs, units, this.pads[l]);
    const out = new Float32Array(inputs * units);
    for (let k = 0; k < inputs; k++) out.set(values.subarray(k * pad4(units), k * pad4(units) + units), k * units);
    return out;
  }

  /** An epoch's visiting order (indices into the loaded set). */
  loadOrder(order: Int32Array): void {
    new Int32Array(this.kernel.exports.memory.buffer, this.kernel.exports.kn_ptr(PTR.order, 0), order.length).set(order);
  }

  /** The model's weights and the optimizer's state, into the kernel. */
  loadWeights(optimizer: tf.Optimizer): void {
    const layers = this.blocks.length;
    this.blocks.forEach((block, l) => {
      const [inputs, units] = [this.dims[l], this.dims[l + 1]];
      this.kernelIn(l, block.kernel.dataSync() as Float32Array, this.floats(PTR.kernel, l, this.kernelLength(l)));
      this.floats(PTR.bias, l, units).set(block.bias.dataSync() as Float32Array);
      STATE_FIELDS[this.optimizer.kind].forEach(({ field }, s) => {
        const slots = stateSlots(optimizer, field);
        const index = 2 * (layers - 1 - l);
        const kernelState = this.floats(s === 0 ? PTR.kernelState0 : PTR.kernelState1, l, this.kernelLength(l));
        const biasState = this.floats(s === 0 ? PTR.biasState0 : PTR.biasState1, l, units);
        const kernelSlot = slots[index];
        const biasSlot = slots[index + 1];
        if (kernelSlot) this.kernelIn(l, kernelSlot.variable.dataSync() as Float32Array, kernelState);
        else if (this.optimizer.initial) this.kernelIn(l, new Float32Array(inputs * units).fill(this.optimizer.initial), kernelState);
        if (biasSlot) biasState.set(biasSlot.variable.dataSync() as Float32Array);
        else biasState.fill(this.optimizer.initial);
      });
    });
    if (this.optimizer.kind === 'adam') {
      const { accBeta1, accBeta2 } = adamPowers(optimizer);
      this.accBeta1 = accBeta1.dataSync()[0];
      this.accBeta2 = accBeta2.dataSync()[0];
    }
  }

  /** The kernel's weights into the model's variables (the model stays a standard Layers model). */
  storeWeights(): void {
    this.blocks.forEach((block, l) => {
      const units = this.dims[l + 1];
      assignValues(block.kernel, this.kernelOut(l, this.floats(PTR.kernel, l, this.kernelLength(l))));
      assignValues(block.bias, this.floats(PTR.bias, l, units).slice());
    });
  }

  /** The optimizer's state back into the tfjs optimizer, as if it had made the steps itself. */
  storeState(optimizer: tf.Optimizer): void {
    const layers = this.blocks.length;
    for (const [s, { field, suffix }] of STATE_FIELDS[this.optimizer.kind].entries()) {
      const slots = stateSlots(optimizer, field);
      this.blocks.forEach((block, l) => {
        const units = this.dims[l + 1];
        const kernelState = this.floats(s === 0 ? PTR.kernelState0 : PTR.kernelState1, l, this.kernelLength(l));
        const biasState = this.floats(s === 0 ? PTR.biasState0 : PTR.biasState1, l, units);
        const index = 2 * (layers - 1 - l);
        storeSlot(slots, index, block.kernel, suffix, this.kernelOut(l, kernelState));
        storeSlot(slots, index + 1, block.bias, suffix, biasState.slice());
      });
    }
    if (this.optimizer.kind === 'adam') {
      const { accBeta1, accBeta2 } = adamPowers(optimizer);
      assignValues(accBeta1, Float32Array.of(this.accBeta1));
      assignValues(accBeta2, Float32Array.of(this.accBeta2));
    }
    addIterations(optimizer, this.steps);
    this.steps = 0;
  }

  /**
   * One step at learning rate lr, on images order[start..start+count) of the loaded set, which the
   * kernel fills itself (distorted as `augment` says, when given); or on `rows`, rows JS filled, with
   * their labels. Random draws come in TrainStep's order: each image's distortion (augment.ts's
   * drawAffine), then the dropout masks, per layer, batch × units.
   */
  step(count: number, lr: number, random: Random, from: { start: number; augment?: AugmentSpec | null } | { rows: Float32Array; labels: Uint8Array }): StepResult {
    const { exports } = this.kernel;
    let mode = 0;
    if ('rows' in from) {
      mode = 1;
      const [size, pad] = [this.dims[0], this.pads[0]];
      const input = this.floats(PTR.input, 0, count * pad);
      if (size === pad) input.set(from.rows.subarray(0, count * size));
      else for (let i = 0; i < count; i++) input.set(from.rows.subarray(i * size, (i + 1) * size), i * pad);
      new Uint8Array(exports.memory.buffer, exports.kn_ptr(PTR.labels, 0), count).set(from.labels.subarray(0, count));
    } else if (from.augment) {
      mode = 2;
      const affine = new Float64Array(exports.memory.buffer, exports.kn_ptr(PTR.affine, 0), count * 4);
      for (let i = 0; i < count; i++) {
        const drawn = drawAffine(from.augment, random);
        const { cos, sin } = inverseCoefficients(drawn);
        affine.set([cos, sin, drawn.dx, drawn.dy], 4 * i);
      }
    }
    this.setHyper(lr);
    this.blocks.forEach((block, l) => {
      if (block.dropout > 0) random.fillMask(this.floats(PTR.mask, l, count * this.dims[l + 1]), block.dropout, 1 / (1 - block.dropout));
    });
    const loss = exports.kn_step('start' in from ? from.start : 0, count, mode, this.l2);
    this.steps++;
    if (this.optimizer.kind === 'adam') {
      this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.optimizer.momentum));
      this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.optimizer.beta2));
    }
    return { loss, correct: exports.kn_correct() };
  }

  /** The current batch's inputs as the kernel filled them, [count × inputs] (tests). */
  inputRows(count: number): Float32Array {
    const [size, pad] = [this.dims[0], this.pads[0]];
    // On sparse input the fill writes only the lists of lit pixels: the rows are made from them.
    if (this.sparseInput) this.kernel.exports.kn_input_rows(count);
    const input = this.floats(PTR.input, 0, count * pad);
    const rows = new Float32Array(count * size);
    for (let i = 0; i < count; i++) rows.set(input.subarray(i * pad, i * pad + size), i * size);
    return rows;
  }

  private setHyper(lr: number): void {
    const { momentum, beta2, epsilon } = this.optimizer;
    const values: Hyper = {
      negLr: -lr,
      lr,
      twoL2: 2 * this.l2,
      momentum,
      oneMinus1: 1 - momentum,
      beta2,
      oneMinus2: 1 - beta2,
      epsilon,
      // tfjs: sub(1, accBeta) in float32 before the update.
      biasFix1: 1 - this.accBeta1,
      biasFix2: 1 - this.accBeta2,
    };
    const hyper = new Float32Array(this.kernel.exports.memory.buffer, this.kernel.exports.kn_hyper(), HYPER_FIELDS.length);
    HYPER_FIELDS.forEach((field, i) => (hyper[i] = values[field]));
  }
}

/** kernel [inputs × units] → its transpose [units × pad] (the padding stays 0). */
function transposeIn(values: Float32Array, inputs: number, units: number, pad: number, out: Float32Array): void {
  for (let k = 0; k < inputs; k++) for (let j = 0; j < units; j++) out[j * pad + k] = values[k * units + j];
}

function transposeOut(values: Float32Array, inputs: number, units: number, pad: number): Float32Array {
  const out = new Float32Array(inputs * units);
  for (let j = 0; j < units; j++) for (let k = 0; k < inputs; k++) out[k * units + j] = values[j * pad + k];
  return out;
}

function assignValues(variable: tf.Variable, values: Float32Array): void {
  const tensor = tf.tensor(values, variable.shape, 'float32');
  variable.assign(tensor);
  tensor.dispose();
}

function storeSlot(slots: ({ originalName: string; variable: tf.Variable } | undefined)[], index: number, owner: tf.Variable, suffix: string, values: Float32Array): void {
  const slot = slots[index];
  if (slot) {
    assignValues(slot.variable, values);
    return;
  }
  const tensor = tf.tensor(values, owner.shape, 'float32');
  slots[index] = { originalName: `${owner.name}/${suffix}`, variable: tensor.variable(false) };
  tensor.dispose();
}
